using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>
/// The real kubectl against one kubeconfig, the way a user at a shell would run it: relative
/// paths resolve from <paramref name="workingDirectory"/> (default: the repository's root), and
/// its HOME (with the discovery cache) is a folder beside the kubeconfig, which the test owns.
/// </summary>
public sealed class Kubectl(string kubeconfigPath, string? workingDirectory = null)
{
    private readonly string home = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!, "kubectl-home");

    /// <summary>Runs kubectl and returns its stdout; fails the test with everything it printed when it exits with an error.</summary>
    public async Task<string> RunAsync(params string[] arguments) =>
        (await TryRunAsync(arguments)).Succeeded().Output;

    /// <summary>Runs kubectl and returns how it ended, for tests that expect it to refuse.</summary>
    public Task<ProcessResult> TryRunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("kubectl", arguments, Options);

    /// <summary>Starts a kubectl that keeps running (<c>get -w</c>); dispose it to kill it.</summary>
    public RunningProcess Start(params string[] arguments) =>
        RunningProcess.Start("kubectl", arguments, Options);

    /// <summary>
    /// Starts kubectl, waits for its first line on stdout, runs <paramref name="whileRunning"/>,
    /// and returns the first <paramref name="lineCount"/> lines it printed; then kills it.
    /// </summary>
    public async Task<IReadOnlyList<string>> FirstLinesAsync(int lineCount, Func<Task> whileRunning, params string[] arguments)
    {
        await using var kubectl = Start(arguments);
        await LinesAsync(kubectl, 1);
        await whileRunning();
        return [.. (await LinesAsync(kubectl, lineCount)).Take(lineCount)];
    }

    /// <summary>Polls <c>kubectl get -o jsonpath</c> until the value satisfies <paramref name="done"/>.</summary>
    public Task<string> WaitForAsync(string resource, string jsonPath, Func<string, bool> done, string what) =>
        Eventually.Until(
            async () =>
            {
                var result = await TryRunAsync("get", resource, "-o", $"jsonpath={jsonPath}");
                return result.ExitCode == 0 ? result.Output : "";
            },
            done,
            what);

    private ProcessOptions Options => new()
    {
        WorkingDirectory = workingDirectory ?? Repository.RepositoryPaths.Root,
        Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfigPath, ["HOME"] = home },
    };

    private static Task<IReadOnlyList<string>> LinesAsync(RunningProcess kubectl, int count) =>
        Eventually.Until(
            async () =>
            {
                if (kubectl.HasExited)
                {
                    // Every line it printed has arrived once the exit is awaited.
                    await kubectl.WaitForExitAsync();
                    return kubectl.StandardOutputLines.Count >= count
                        ? kubectl.StandardOutputLines
                        : throw new InvalidOperationException("kubectl ended early:\n" + kubectl.Output);
                }

                return kubectl.StandardOutputLines;
            },
            lines => lines.Count >= count,
            $"{count} lines from {kubectl.Command}",
            describe: _ => kubectl.Output);
}
