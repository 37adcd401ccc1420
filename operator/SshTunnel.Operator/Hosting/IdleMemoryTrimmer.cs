using System.Runtime;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Keeps the GC's committed memory near what the operator really holds: every
/// <see cref="Period"/> it reads the GC's figures and makes the collection
/// <see cref="MemoryTrimPolicy"/> asks for, during a burst and after it. Both kinds are the
/// same aggressive compacting collection, which returns the freed memory to the OS (one that
/// leaves it committed would make the next headroom count from it), followed by a trim of the
/// C heap (<see cref="NativeHeap"/>).
/// </summary>
public sealed class IdleMemoryTrimmer(
    TimeProvider timeProvider,
    Func<MemoryReading>? read = null,
    Action? collect = null)
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly Func<MemoryReading> read = read ?? MemoryReading.Current;
    private readonly Action collect = collect ?? CollectAndDecommit;

    /// <summary>Watches the allocations until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        var policy = new MemoryTrimPolicy(read());
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var collection = policy.Decide(read());
                if (collection != MemoryCollection.None)
                {
                    collect();
                    policy.Collected(collection, read());
                }
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
        NativeHeap.Trim();
    }
}
