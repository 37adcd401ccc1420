using System.Runtime;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Keeps the GC's committed memory near what the operator really holds, in two cases the GC
/// alone leaves it high:
/// <list type="bullet">
/// <item>After a burst (the initial LIST, a relist, thousands of reconciles): a converged
/// operator allocates almost nothing, so the GC rarely runs and keeps the regions the burst
/// filled with garbage committed indefinitely. After at least <see cref="MinimumAllocation"/>
/// has been allocated since the last idle trim, the first period that allocates
/// less than <see cref="IdleAllocation"/> triggers one aggressive compacting collection, which
/// returns the free space to the OS.</item>
/// <item>During a burst: objects that outlive a few gen0 collections (cached views replaced by
/// newer versions, requests in flight) reach gen2, whose budget lets the committed memory grow
/// to about three times the live data before a full collection (measured: 40 -> 105 MiB while
/// rotating 10,000 connections). Once the committed memory has grown by
/// <see cref="BurstHeadroom"/> (or a quarter of what the last full collection left, if more) since
/// then, the same collection (one that leaves the free space committed would make the next
/// headroom count from it) lets the burst go on near its live data plus that headroom.</item>
/// </list>
/// </summary>
public sealed class IdleMemoryTrimmer(
    TimeProvider timeProvider,
    Func<MemoryReading>? read = null,
    Action? collect = null)
{
    /// <summary>What an idle trim must follow: a full collection after little work is not worth its pause.</summary>
    public const long MinimumAllocation = 32L << 20;

    /// <summary>Below this per period the operator counts as idle (health probes, bookmarks, metrics scrapes).</summary>
    public const long IdleAllocation = 1L << 20;

    /// <summary>
    /// The least growth of the committed memory over what the last full collection left that
    /// triggers a collection during a burst: a few full collections per burst of 10,000.
    /// </summary>
    public const long BurstHeadroom = 16L << 20;

    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly Func<MemoryReading> read = read ?? MemoryReading.Current;
    private readonly Action collect = collect ?? CollectAndDecommit;

    /// <summary>Watches the allocations until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        var previous = read();
        var trimmedAt = previous;
        var collectedAt = previous;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = read();
                var collection = Decide(previous, current, trimmedAt, collectedAt);
                if (collection != Collection.None)
                {
                    collect();
                    current = read();
                    collectedAt = current;
                    trimmedAt = collection == Collection.Trim ? current : trimmedAt;
                }

                previous = current;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
    }

    /// <param name="previous">The reading one period ago.</param>
    /// <param name="current">This period's reading.</param>
    /// <param name="trimmedAt">The reading right after the last idle trim (or the first one).</param>
    /// <param name="collectedAt">The reading right after the last collection of either kind (or the first one).</param>
    private static Collection Decide(MemoryReading previous, MemoryReading current, MemoryReading trimmedAt, MemoryReading collectedAt)
    {
        var idle = current.AllocatedBytes - previous.AllocatedBytes < IdleAllocation;
        if (idle)
        {
            return current.AllocatedBytes - trimmedAt.AllocatedBytes >= MinimumAllocation ? Collection.Trim : Collection.None;
        }

        var headroom = Math.Max(BurstHeadroom, collectedAt.CommittedBytes / 4);
        return current.CommittedBytes - collectedAt.CommittedBytes >= headroom ? Collection.Burst : Collection.None;
    }

    private static void CollectAndDecommit()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private enum Collection
    {
        None,
        Trim,
        Burst,
    }
}
