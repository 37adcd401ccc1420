using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>
/// The operator's built binary run as its own process (<c>dotnet SshTunnel.Operator.dll</c>) against
/// a kubeconfig, with <c>--health-port</c> so readiness and metrics can be read from the outside.
/// Its output goes to a log file. Disposing kills it.
/// </summary>
internal sealed partial class OperatorProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly ConcurrentDictionary<OperatorProcess, bool> Running = new();
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly long startedAt;
    private readonly Uri health;
    private long reportedReadyMs = -1;

    private OperatorProcess(Process process, StreamWriter log, long startedAt, int healthPort)
    {
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
        health = new Uri($"http://127.0.0.1:{healthPort}/");
    }

    public int Id => process.Id;

    public string LogPath { get; private init; } = "";

    /// <summary>The operator's own "Operator ready in N ms" log line, when it has printed it.</summary>
    public long? ReportedReadyMs => Volatile.Read(ref reportedReadyMs) is >= 0 and var ms ? ms : null;

    public static OperatorProcess Start(string assembly, string kubeconfig, int workers, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"the operator is not built at {assembly}", assembly);
        }

        var healthPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { assembly, "--health-port", healthPort.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["KUBECONFIG"] = kubeconfig;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = false };
        var process = new Process { StartInfo = info };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        var running = new OperatorProcess(process, log, startedAt, healthPort) { LogPath = logPath };
        Running[running] = true;
        process.OutputDataReceived += (_, line) => running.Capture(line.Data);
        process.ErrorDataReceived += (_, line) => running.Capture(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
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
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(health, "readyz"));
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

    public ProcessMemory Memory() => ProcessMemory.Read(process.Id);

    public async Task<MetricsSnapshot> MetricsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return MetricsSnapshot.Parse(await Http.GetStringAsync(new Uri(health, "metrics"), cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return MetricsSnapshot.Empty;
        }
    }

    /// <summary>Kills every operator still running: the last resort when the harness itself is stopped.</summary>
    public static void KillAll()
    {
        foreach (var running in Running.Keys)
        {
            running.Kill();
        }
    }

    /// <summary>Kills the process (and anything it started) and waits for it to go.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Running.TryRemove(this, out _);
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

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
