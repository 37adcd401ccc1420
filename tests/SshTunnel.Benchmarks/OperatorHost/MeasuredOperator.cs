using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>
/// The operator's built binary run as its own process (the tests' <see cref="OperatorProcess"/>)
/// with the time it took to get ready, its memory and its metrics read from the outside. Its
/// output goes to a log file, not to memory. Disposing kills it.
/// </summary>
internal sealed partial class MeasuredOperator : IAsyncDisposable
{
    private readonly StreamWriter log;
    private long startedAt;
    private OperatorProcess process = null!;
    private long reportedReadyMs = -1;

    private MeasuredOperator(StreamWriter log, string logPath)
    {
        this.log = log;
        LogPath = logPath;
    }

    public int Id => process.Process.Id;

    public string LogPath { get; }

    /// <summary>The operator's own "Operator ready in N ms" log line, when it has printed it.</summary>
    public long? ReportedReadyMs => Volatile.Read(ref reportedReadyMs) is >= 0 and var ms ? ms : null;

    public static MeasuredOperator Start(string assembly, string kubeconfig, int workers, IReadOnlyDictionary<string, string> environment, string logPath) =>
        Start(assembly, kubeconfig, ["--workers", workers.ToString(CultureInfo.InvariantCulture)], environment, logPath);

    /// <summary>Starts <paramref name="assembly"/> (the operator, or the start floor) with these flags; a free <c>--health-port</c> is added.</summary>
    public static MeasuredOperator Start(string assembly, string kubeconfig, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var measured = new MeasuredOperator(new StreamWriter(logPath, append: false) { AutoFlush = false }, logPath);
        measured.startedAt = Stopwatch.GetTimestamp();
        measured.process = OperatorProcess.Start(
            kubeconfig,
            arguments,
            assembly,
            environment.ToDictionary(pair => pair.Key, string? (pair) => pair.Value),
            measured.Capture,
            keepOutput: false);
        return measured;
    }

    /// <summary>
    /// Polls <c>/readyz</c> until it answers 200. Returns the time since the process was started,
    /// when the health port first answered at all, and the longest gap between two polls (a long
    /// gap means the harness itself was starved, not the operator slow).
    /// </summary>
    public Task<ReadyTiming> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        // A thread of its own with blocking calls: the emulator shares this process's thread pool, and
        // a busy pool (serving a large LIST) would otherwise delay the polls and inflate the figure.
        Task.Factory.StartNew(() => PollReady(timeout, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits until the operator's <c>/debug/idle</c> answers 200: nothing queued, due or in flight.</summary>
    public Task WaitIdleAsync(TimeSpan timeout) => process.WaitForIdleAsync(timeout: timeout);

    public ProcessMemory Memory() => ProcessMemory.Read(Id);

    public async Task<PrometheusScrape> MetricsAsync(CancellationToken cancellationToken) =>
        await process.ScrapeOrNullAsync(cancellationToken).ConfigureAwait(false) ?? PrometheusScrape.Empty;

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync().ConfigureAwait(false);
        lock (log)
        {
            log.Dispose();
        }
    }

    private ReadyTiming PollReady(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = startedAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        TimeSpan? firstAnswer = null;
        var longestGap = TimeSpan.Zero;
        var lastPoll = Stopwatch.GetTimestamp();
        using var poller = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gap = Stopwatch.GetElapsedTime(lastPoll);
            longestGap = gap > longestGap ? gap : longestGap;
            lastPoll = Stopwatch.GetTimestamp();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the operator exited with code {process.ExitCode} before it was ready; see {LogPath}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, process.Endpoint("/readyz"));
                using var response = poller.Send(request, cancellationToken);
                firstAnswer ??= Stopwatch.GetElapsedTime(startedAt);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new ReadyTiming(Stopwatch.GetElapsedTime(startedAt), firstAnswer.Value, longestGap);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Thread.Sleep(2);
        }

        throw new TimeoutException($"the operator was not ready within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    private void Capture(string line)
    {
        if (ReportedReadyMs is null && ReadyLine().Match(line) is { Success: true } match)
        {
            Volatile.Write(ref reportedReadyMs, long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"Operator ready in (\d+) ms")]
    private static partial Regex ReadyLine();
}
