using System.Runtime.InteropServices;
using SshTunnel.Benchmarks;
using SshTunnel.Benchmarks.Forwarding;
using SshTunnel.Benchmarks.Probing;
using SshTunnel.Benchmarks.Reporting;
using SshTunnel.Benchmarks.ScaleCurve;
using SshTunnel.Testing.Processes;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = true;
    stopping.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stopping.Cancel();
});

var report = new BenchmarkReport(options.Probes
    ? $"ssh-tunnel-operator probe pool vs OpenSSH ssh logins{(options.Quick ? " (--quick)" : "")}, {Environment.ProcessorCount} cores, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"
    : options.Forwarder
    ? $"ssh-tunnel-operator forwarder vs OpenSSH ssh -N -L: {options.Runs} runs{(options.Quick ? " (--quick)" : "")}, {Environment.ProcessorCount} cores, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"
    : options.ScaleCurve
    ? $"ssh-tunnel-operator scale curve: N = {string.Join(" / ", options.CurveSizes.Select(size => size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}, {options.Workers} workers, {Environment.ProcessorCount} cores, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"
    : $"ssh-tunnel-operator benchmarks: N = {options.Connections:N0}{(options.Quick ? " (--quick)" : "")}, {options.Workers} workers, {Environment.ProcessorCount} cores, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
var exitCode = 0;
try
{
    if (options.Probes)
    {
        await new ProbeBenchmark(options, report).RunAsync(stopping.Token);
    }
    else if (options.Forwarder)
    {
        await new ForwarderBenchmark(options, report).RunAsync(stopping.Token);
    }
    else if (options.ScaleCurve)
    {
        await new ScaleCurveRun(options, report).RunAsync(stopping.Token);
    }
    else
    {
        await new BenchmarkRun(options, report).RunAsync(stopping.Token);
    }
}
catch (Exception e) when (e is TimeoutException or InvalidOperationException or OperationCanceledException or HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
{
    report.Note($"The run did not finish: {e.GetType().Name}: {e.Message}");
    await Console.Error.WriteLineAsync(e.ToString());
    exitCode = 1;
}
finally
{
    RunningProcess.KillAll();
}

var markdown = report.ToMarkdown();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!);
await File.WriteAllTextAsync(options.OutputPath, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"Written to {Path.GetFullPath(options.OutputPath)}");
return exitCode;
