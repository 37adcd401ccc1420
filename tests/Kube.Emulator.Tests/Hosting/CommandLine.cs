using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>Runs kubectl and helm against the fixture's kubeconfig and collects their output.</summary>
internal sealed class CommandLine(EmulatorFixture fixture)
{
    /// <summary>The HELM environment variable, else helm from PATH (tests/run.sh installs it there).</summary>
    public static readonly string Helm = Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } configured ? configured : "helm";

    private ProcessOptions Options => new() { Environment = new Dictionary<string, string?> { ["HOME"] = fixture.WorkDirectory } };

    public Task<ProcessResult> KubectlAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("kubectl", KubectlArguments(arguments), Options);

    public Task<ProcessResult> HelmAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Helm, [.. arguments, "--kubeconfig", fixture.KubeconfigPath], Options);

    /// <summary>
    /// Starts kubectl, waits for its first line on stdout, runs <paramref name="whileRunning"/>,
    /// and returns the first <paramref name="lineCount"/> lines it printed; then kills it.
    /// </summary>
    public async Task<IReadOnlyList<string>> KubectlFirstLinesAsync(int lineCount, Func<Task> whileRunning, params string[] arguments)
    {
        await using var kubectl = RunningProcess.Start("kubectl", KubectlArguments(arguments), Options);
        await LinesAsync(kubectl, 1);
        await whileRunning();
        return [.. (await LinesAsync(kubectl, lineCount)).Take(lineCount)];
    }

    private static Task<IReadOnlyList<string>> LinesAsync(RunningProcess kubectl, int count) =>
        Eventually.Until(
            async () =>
            {
                if (kubectl.HasExited)
                {
                    // Every line it printed has arrived once the exit is awaited.
                    await kubectl.WaitForExitAsync();
                    return kubectl.StandardOutputLines.Count >= count ? kubectl.StandardOutputLines : throw new InvalidOperationException("kubectl ended early:\n" + kubectl.Output);
                }

                return kubectl.StandardOutputLines;
            },
            lines => lines.Count >= count,
            $"{count} lines from {kubectl.Command}",
            describe: _ => kubectl.Output);

    private string[] KubectlArguments(string[] arguments) =>
        ["--kubeconfig", fixture.KubeconfigPath, "--cache-dir", Path.Combine(fixture.WorkDirectory, "kube-cache"), .. arguments];
}
