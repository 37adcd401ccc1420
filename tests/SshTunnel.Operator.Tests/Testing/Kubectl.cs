using System.Diagnostics;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Testing;

/// <summary>Runs the real kubectl against a kubeconfig, the way a user at a shell would.</summary>
public sealed class Kubectl(string kubeconfigPath, string workingDirectory)
{
    public async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await TryRunAsync(arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} exited {exitCode}: {error}");
    }

    public async Task<(int ExitCode, string Output, string Error)> TryRunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["KUBECONFIG"] = kubeconfigPath;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var hung = new CancellationTokenSource(Eventually.DefaultTimeout);
        await process.WaitForExitAsync(hung.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Polls <c>kubectl get -o jsonpath</c> until the value satisfies <paramref name="done"/>.</summary>
    public Task<string> WaitForAsync(string resource, string jsonPath, Func<string, bool> done, string what) =>
        Eventually.Until(
            async () =>
            {
                var (exitCode, output, _) = await TryRunAsync("get", resource, "-o", $"jsonpath={jsonPath}");
                return exitCode == 0 ? output : "";
            },
            done,
            what);
}
