using System.Diagnostics;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>Runs kubectl and helm against the fixture's kubeconfig and collects their output.</summary>
internal sealed class CommandLine(EmulatorFixture fixture)
{
    /// <summary>The HELM environment variable, else helm from PATH (tests/run.sh installs it there).</summary>
    public static readonly string Helm = Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } configured ? configured : "helm";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task<Result> KubectlAsync(params string[] arguments) =>
        RunAsync("kubectl", ["--kubeconfig", fixture.KubeconfigPath, "--cache-dir", Path.Combine(fixture.WorkDirectory, "kube-cache"), .. arguments]);

    public Task<Result> HelmAsync(params string[] arguments) =>
        RunAsync(Helm, [.. arguments, "--kubeconfig", fixture.KubeconfigPath]);

    /// <summary>Starts kubectl and returns the first <paramref name="lineCount"/> lines it prints, then kills it.</summary>
    public async Task<IReadOnlyList<string>> KubectlFirstLinesAsync(int lineCount, Func<Task> whileRunning, params string[] arguments)
    {
        using var process = Start("kubectl", ["--kubeconfig", fixture.KubeconfigPath, "--cache-dir", Path.Combine(fixture.WorkDirectory, "kube-cache"), .. arguments]);
        var lines = new List<string>();
        try
        {
            using var stop = new CancellationTokenSource(Patience);
            var first = await process.StandardOutput.ReadLineAsync(stop.Token);
            lines.Add(first ?? throw new InvalidOperationException("kubectl ended early: " + await process.StandardError.ReadToEndAsync(stop.Token)));
            await whileRunning();
            while (lines.Count < lineCount)
            {
                lines.Add(await process.StandardOutput.ReadLineAsync(stop.Token) ?? throw new InvalidOperationException("kubectl ended early: " + string.Join('\n', lines)));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return lines;
    }

    private static async Task<Result> RunAsync(string file, string[] arguments)
    {
        using var process = Start(file, arguments);
        using var stop = new CancellationTokenSource(Patience);
        var output = process.StandardOutput.ReadToEndAsync(stop.Token);
        var error = process.StandardError.ReadToEndAsync(stop.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(file + " " + string.Join(' ', arguments) + " did not finish");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    private static Process Start(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOME"] = Path.GetTempPath();
        return Process.Start(info)!;
    }

    /// <summary>Exit code and output of a finished command.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result Succeeded()
        {
            Assert.True(ExitCode == 0, "exit " + ExitCode + "\nstdout:\n" + Output + "\nstderr:\n" + Error);
            return this;
        }
    }
}
