using System.Runtime;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Gives back the memory a burst of reconciles left behind, once the operator is idle again.
/// A converged operator allocates almost nothing, so the GC rarely runs and keeps the regions
/// the burst filled with garbage (old object versions, JSON buffers) committed indefinitely.
/// After at least <see cref="MinimumWork"/> reconciles, the first period in which none completes
/// triggers one compacting collection that returns the free space to the OS.
/// </summary>
public sealed class IdleMemoryTrimmer(Func<long> completedReconciles, TimeProvider timeProvider, Action? trim = null)
{
    /// <summary>The work a trim must follow: a full collection of a small heap is not worth its pause.</summary>
    public const int MinimumWork = 1_000;

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly Action trim = trim ?? CollectAndDecommit;

    /// <summary>Watches the reconcile count until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long trimmedAt = 0;
        long previous = completedReconciles();
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var completed = completedReconciles();
                if (completed == previous && completed - trimmedAt >= MinimumWork)
                {
                    trim();
                    trimmedAt = completed;
                }

                previous = completed;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
    }

    private static void CollectAndDecommit()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
