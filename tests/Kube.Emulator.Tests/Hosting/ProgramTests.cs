using k8s;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>The emulator run alone, as the dev mode does: <c>Kube.Emulator --crds DIR --kubeconfig PATH</c>.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Runs_alone_serves_the_crds_and_stops_on_sigterm()
    {
        var folder = Directory.CreateTempSubdirectory("kube-emulator-program-").FullName;
        var kubeconfig = Path.Combine(folder, "dev", "kubeconfig");
        try
        {
            await using var emulator = RunningProcess.Start(
                "dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--crds", EmulatorFixture.TestData("crds"), "--kubeconfig", kubeconfig]);
            var lines = await Eventually.Until(
                () => Task.FromResult(emulator.StandardOutputLines),
                printed => printed.Count >= 2 || emulator.HasExited,
                "the emulator to say where it listens and where the kubeconfig is",
                describe: _ => emulator.Output);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");

            await emulator.TerminateAsync();
            using var stop = new CancellationTokenSource(Eventually.DefaultTimeout);
            await emulator.WaitForExitAsync(stop.Token);

            Assert.StartsWith("Kubernetes API emulator listening on http://127.0.0.1:", lines[0], StringComparison.Ordinal);
            Assert.Equal("kubeconfig written to " + kubeconfig, lines[1]);
            Assert.Equal("Widget", crd.Spec.Names.Kind);
            Assert.True(emulator.ExitCode == 0, emulator.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
    [Fact]
    public async Task With_control_serves_the_control_endpoints_and_says_where()
    {
        await using var emulator = RunningProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--control"]);
        var lines = await Eventually.Until(
            () => Task.FromResult(emulator.StandardOutputLines),
            printed => printed.Count >= 2 || emulator.HasExited,
            "the emulator to say where it listens and where its control endpoints are",
            describe: _ => emulator.Output);
        var address = new Uri(lines[0]["Kubernetes API emulator listening on ".Length..]);
        using var http = new HttpClient { BaseAddress = address };

        using var writes = await http.GetAsync("/emulator/v1/writes");

        Assert.Equal("control endpoints under " + new Uri(address, "/emulator/v1/"), lines[1]);
        Assert.Equal(System.Net.HttpStatusCode.OK, writes.StatusCode);
    }
}
