using Microsoft.Extensions.Time.Testing;
using SshTunnel.Operator.Hosting;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>
/// The trim after a burst (once per burst, only after a quiet period, never after little work)
/// and the collection during one (once the committed memory has outgrown what the last
/// collection left by the headroom).
/// </summary>
public sealed class IdleMemoryTrimmerTests : IAsyncLifetime
{
    private const long CommittedAtStart = 8L << 20;

    private readonly FakeTimeProvider time = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private long allocated;
    private long committed = CommittedAtStart;
    private int reads;
    private int collections;
    private Task running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        var trimmer = new IdleMemoryTrimmer(time, Read, () => Interlocked.Increment(ref collections));
        running = trimmer.RunAsync(stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }

    [Fact]
    public async Task A_burst_is_trimmed_once_after_the_first_quiet_period()
    {
        await Period(IdleMemoryTrimmer.MinimumAllocation);
        Assert.Equal(0, Volatile.Read(ref collections));

        await Period(0);
        await Period(IdleMemoryTrimmer.IdleAllocation / 2);
        await Period(0);
        Assert.Equal(1, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task No_trim_while_work_goes_on()
    {
        for (var period = 0; period < 5; period++)
        {
            await Period(IdleMemoryTrimmer.MinimumAllocation);
        }

        Assert.Equal(0, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task Little_work_is_not_trimmed()
    {
        for (var period = 0; period < 5; period++)
        {
            await Period(IdleMemoryTrimmer.IdleAllocation - 1);
        }

        Assert.Equal(0, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task A_burst_that_grows_the_committed_memory_by_the_headroom_is_collected_once()
    {
        await Period(IdleMemoryTrimmer.MinimumAllocation, IdleMemoryTrimmer.BurstHeadroom - 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(0, Volatile.Read(ref collections));

        await Period(IdleMemoryTrimmer.MinimumAllocation, 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task The_headroom_is_counted_from_what_the_last_collection_left()
    {
        await Period(IdleMemoryTrimmer.MinimumAllocation, IdleMemoryTrimmer.BurstHeadroom);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));

        // The collection gave back nothing: all of it was live. Only as much growth again collects again.
        await Period(IdleMemoryTrimmer.MinimumAllocation, IdleMemoryTrimmer.BurstHeadroom - 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));
        await Period(IdleMemoryTrimmer.MinimumAllocation, 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(2, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task A_large_heap_gets_a_quarter_of_what_it_holds_as_headroom()
    {
        var large = 8 * IdleMemoryTrimmer.BurstHeadroom;
        await Period(IdleMemoryTrimmer.MinimumAllocation, large);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));

        var quarter = (CommittedAtStart + large) / 4;
        await Period(IdleMemoryTrimmer.MinimumAllocation, quarter - 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));
        await Period(IdleMemoryTrimmer.MinimumAllocation, 1);
        await Period(IdleMemoryTrimmer.MinimumAllocation, 0);
        Assert.Equal(2, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task A_collection_during_the_burst_does_not_replace_the_trim_after_it()
    {
        await Period(IdleMemoryTrimmer.MinimumAllocation, IdleMemoryTrimmer.BurstHeadroom);
        await Period(IdleMemoryTrimmer.IdleAllocation, 0);
        Assert.Equal(1, Volatile.Read(ref collections));

        await Period(0);
        await Period(0);
        Assert.Equal(2, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task Growth_while_idle_waits_for_the_trim()
    {
        await Period(IdleMemoryTrimmer.IdleAllocation - 1, IdleMemoryTrimmer.BurstHeadroom);
        await Period(0);
        await Period(0);
        Assert.Equal(0, Volatile.Read(ref collections));
    }

    private MemoryReading Read()
    {
        Interlocked.Increment(ref reads);
        lock (gate)
        {
            return new MemoryReading(allocated, committed);
        }
    }

    /// <summary>
    /// Lets one period pass in which <paramref name="bytes"/> are allocated and the committed
    /// memory grows by <paramref name="growth"/>, and waits until the trimmer has read the
    /// figures for it; the trimmer handles periods one by one, so the previous period's decision
    /// has then been carried out.
    /// </summary>
    private async Task Period(long bytes, long growth = 0)
    {
        lock (gate)
        {
            allocated += bytes;
            committed += growth;
        }

        var before = Volatile.Read(ref reads);
        time.Advance(IdleMemoryTrimmer.Period);
        await Eventually.Until(() => Volatile.Read(ref reads) > before, "the trimmer to read the memory figures");
    }
}
