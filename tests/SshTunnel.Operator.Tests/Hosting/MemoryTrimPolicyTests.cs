using SshTunnel.Operator.Hosting;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>
/// The trim after a burst (once per burst, only after a quiet period, never after little work)
/// and the collection during one (once the committed memory has outgrown what the last
/// collection left by the headroom).
/// </summary>
public sealed class MemoryTrimPolicyTests
{
    private const long CommittedAtStart = 8L << 20;
    private const long Busy = MemoryTrimPolicy.MinimumAllocation;

    private readonly MemoryTrimPolicy policy = new(new MemoryReading(0, CommittedAtStart));
    private long allocated;
    private long committed = CommittedAtStart;

    [Fact]
    public void A_burst_is_trimmed_once_after_the_first_quiet_period()
    {
        Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.MinimumAllocation));
        Assert.Equal(MemoryCollection.Trim, Period(0));
        Collected(MemoryCollection.Trim);
        Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.IdleAllocation / 2));
        Assert.Equal(MemoryCollection.None, Period(0));
    }

    [Fact]
    public void No_trim_while_work_goes_on()
    {
        for (var period = 0; period < 5; period++)
        {
            Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.MinimumAllocation));
        }
    }

    [Fact]
    public void Little_work_is_not_trimmed()
    {
        for (var period = 0; period < 5; period++)
        {
            Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.IdleAllocation - 1));
        }
    }

    [Fact]
    public void A_burst_that_grows_the_committed_memory_by_the_headroom_is_collected_once()
    {
        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);
        Assert.Equal(MemoryCollection.None, Period(Busy));
    }

    [Fact]
    public void The_headroom_is_counted_from_what_the_last_collection_left()
    {
        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);

        // The collection gave back nothing: all of it was live. Only as much growth again collects again.
        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);
    }

    [Fact]
    public void What_a_collection_gives_back_is_headroom_again()
    {
        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);
        committed -= MemoryTrimPolicy.BurstHeadroom;
        Collected(MemoryCollection.Burst);

        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);
    }

    [Fact]
    public void A_large_heap_gets_a_quarter_of_what_it_holds_as_headroom()
    {
        var large = 8 * MemoryTrimPolicy.BurstHeadroom;
        Assert.Equal(MemoryCollection.Burst, Period(Busy, large));
        Collected(MemoryCollection.Burst);

        GrowWhileBusy((CommittedAtStart + large) / 4);
    }

    [Fact]
    public void A_collection_during_the_burst_does_not_replace_the_trim_after_it()
    {
        GrowWhileBusy(MemoryTrimPolicy.BurstHeadroom);
        Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.IdleAllocation));
        Assert.Equal(MemoryCollection.Trim, Period(0));
    }

    [Fact]
    public void Growth_while_idle_waits_for_the_trim()
    {
        Assert.Equal(MemoryCollection.None, Period(MemoryTrimPolicy.IdleAllocation - 1, MemoryTrimPolicy.BurstHeadroom));
        Assert.Equal(MemoryCollection.None, Period(0));
    }

    /// <summary>
    /// Busy periods that grow the committed memory by one byte less than
    /// <paramref name="headroom"/> ask for nothing; one more byte asks for one collection,
    /// which gives back nothing.
    /// </summary>
    private void GrowWhileBusy(long headroom)
    {
        Assert.Equal(MemoryCollection.None, Period(Busy, headroom - 1));
        Assert.Equal(MemoryCollection.None, Period(Busy));
        Assert.Equal(MemoryCollection.Burst, Period(Busy, 1));
        Collected(MemoryCollection.Burst);
    }

    /// <summary>Tells the policy the collection it asked for was made, as the trimmer does.</summary>
    private void Collected(MemoryCollection collection) =>
        policy.Collected(collection, new MemoryReading(allocated, committed));

    /// <summary>One period in which <paramref name="bytes"/> are allocated and the committed memory grows by <paramref name="growth"/>.</summary>
    private MemoryCollection Period(long bytes, long growth = 0)
    {
        allocated += bytes;
        committed += growth;
        return policy.Decide(new MemoryReading(allocated, committed));
    }
}
