using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks.ScaleCurve;

/// <summary>
/// Samples a process's RSS every <see cref="Interval"/> and keeps the largest sample of each
/// stage (<see cref="Stage"/> names where a restart is: listing, reconciling), so the report can
/// say which stage makes the peak.
/// </summary>
internal sealed class PeakSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, double> peaks = [];
    private readonly Task running;
    private volatile string stage;

    public PeakSampler(int pid, string firstStage)
    {
        this.pid = pid;
        stage = firstStage;
        running = Task.Factory.StartNew(Sample, TaskCreationOptions.LongRunning);
    }

    public string Stage
    {
        set => stage = value;
    }

    /// <summary>The largest RSS sampled in each stage, MiB, in the order the stages came.</summary>
    public IReadOnlyDictionary<string, double> Peaks
    {
        get
        {
            lock (peaks)
            {
                return new Dictionary<string, double>(peaks);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        stop.Dispose();
    }

    private void Sample()
    {
        while (!stop.IsCancellationRequested)
        {
            double rss;
            try
            {
                rss = ProcessMemory.Read(pid).RssMiB;
            }
            catch (IOException)
            {
                return;
            }

            lock (peaks)
            {
                var current = stage;
                peaks[current] = Math.Max(peaks.GetValueOrDefault(current), rss);
            }

            stop.Token.WaitHandle.WaitOne(Interval);
        }
    }
}
