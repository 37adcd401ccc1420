using System.Diagnostics;
using k8s;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>The emulator run alone, as the dev mode does: <c>Kube.Emulator --crds DIR --kubeconfig PATH</c>.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Runs_alone_serves_the_crds_and_stops_on_sigterm()
    {
        var folder = Directory.CreateTempSubdirectory("kube-emulator-program-").FullName;
        var kubeconfig = Path.Combine(folder, "dev", "kubeconfig");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--crds", EmulatorFixture.TestData("crds"), "--kubeconfig", kubeconfig })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var listening = await process.StandardOutput.ReadLineAsync(stop.Token);
            var written = await process.StandardOutput.ReadLineAsync(stop.Token);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com", cancellationToken: stop.Token);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(stop.Token);
            }

            await process.WaitForExitAsync(stop.Token);

            Assert.StartsWith("Kubernetes API emulator listening on http://127.0.0.1:", listening, StringComparison.Ordinal);
            Assert.Equal("kubeconfig written to " + kubeconfig, written);
            Assert.Equal("Widget", crd.Spec.Names.Kind);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
