namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The decisions of <see cref="IdleMemoryTrimmer"/>, one reading per period, with no clock and
/// no GC of its own, in two cases the GC alone leaves the committed memory high:
/// <list type="bullet">
/// <item>After a burst (the initial LIST, a relist, thousands of reconciles): a converged
/// operator allocates almost nothing, so the GC rarely runs and keeps the regions the burst
/// filled with garbage committed indefinitely. After at least <see cref="MinimumAllocation"/>
/// has been allocated since the last idle trim, the first period that allocates less than
/// <see cref="IdleAllocation"/> asks for a <see cref="MemoryCollection.Trim"/>.</item>
/// <item>During a burst: objects that outlive a few gen0 collections (cached views replaced by
/// newer versions, requests in flight) reach gen2, whose budget lets the committed memory grow
/// to about three times the live data before a full collection (measured: 40 -> 105 MiB while
/// rotating 10,000 connections). Once the committed memory has grown by
/// <see cref="BurstHeadroom"/> (or a quarter of what the last collection left, if more) since
/// that collection, a busy period asks for a <see cref="MemoryCollection.Burst"/>.</item>
/// </list>
/// </summary>
public sealed class MemoryTrimPolicy(MemoryReading start)
{
    /// <summary>
    /// What an idle trim must follow: a full collection after little work is not worth its pause.
    /// Small enough that a converged operator, which still allocates for watch bookmarks and
    /// scrapes, returns to its trimmed size every few minutes instead of holding the GC's budgets
    /// committed (measured at N=10,000: 32 MiB left the steady RSS sampled up to 10 MiB above it).
    /// </summary>
    public const long MinimumAllocation = 8L << 20;

    /// <summary>Below this per period the operator counts as idle (health probes, bookmarks, metrics scrapes).</summary>
    public const long IdleAllocation = 1L << 20;

    /// <summary>
    /// The least growth of the committed memory over what the last collection left that asks
    /// for a collection during a burst: a few full collections per burst of 10,000.
    /// </summary>
    public const long BurstHeadroom = 16L << 20;

    private MemoryReading previous = start;
    private MemoryReading trimmedAt = start;
    private MemoryReading collectedAt = start;

    /// <summary>What this period's reading asks for.</summary>
    public MemoryCollection Decide(MemoryReading current)
    {
        var idle = current.AllocatedBytes - previous.AllocatedBytes < IdleAllocation;
        previous = current;
        if (idle)
        {
            return current.AllocatedBytes - trimmedAt.AllocatedBytes >= MinimumAllocation ? MemoryCollection.Trim : MemoryCollection.None;
        }

        var headroom = Math.Max(BurstHeadroom, collectedAt.CommittedBytes / 4);
        return current.CommittedBytes - collectedAt.CommittedBytes >= headroom ? MemoryCollection.Burst : MemoryCollection.None;
    }

    /// <summary>Records what a collection <see cref="Decide"/> asked for left.</summary>
    public void Collected(MemoryCollection collection, MemoryReading after)
    {
        previous = after;
        collectedAt = after;
        if (collection == MemoryCollection.Trim)
        {
            trimmedAt = after;
        }
    }
}
