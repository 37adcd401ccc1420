using System.Runtime;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Gives back the memory a burst of work left behind, once the operator is idle again. A
/// converged operator allocates almost nothing, so the GC rarely runs and keeps the regions
/// that a burst (the initial LIST, a relist, thousands of reconciles) filled with garbage
/// committed indefinitely. After at least <see cref="MinimumAllocation"/> has been allocated
/// since the last trim, the first period that allocates less than <see cref="IdleAllocation"/>
/// triggers one compacting collection that returns the free space to the OS.
/// </summary>
public sealed class IdleMemoryTrimmer(TimeProvider timeProvider, Func<long>? allocatedBytes = null, Action? trim = null)
{
    /// <summary>What a trim must follow: a full collection after little work is not worth its pause.</summary>
    public const long MinimumAllocation = 32L << 20;

    /// <summary>Below this per period the operator counts as idle (health probes, bookmarks, metrics scrapes).</summary>
    public const long IdleAllocation = 1L << 20;

    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly Func<long> allocatedBytes = allocatedBytes ?? (() => GC.GetTotalAllocatedBytes());
    private readonly Action trim = trim ?? CollectAndDecommit;

    /// <summary>Watches the allocations until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        var previous = allocatedBytes();
        var trimmedAt = previous;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var allocated = allocatedBytes();
                if (allocated - previous < IdleAllocation && allocated - trimmedAt >= MinimumAllocation)
                {
                    trim();
                    trimmedAt = allocated;
                }

                previous = allocated;
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
