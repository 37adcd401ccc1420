using Microsoft.Extensions.Time.Testing;
using SshTunnel.Operator.Hosting;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The trimmer reads once per period and makes the collections its policy asks for (the decisions: <see cref="MemoryTrimPolicyTests"/>).</summary>
public sealed class IdleMemoryTrimmerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private long allocated;
    private long committed;
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
    public async Task A_burst_is_collected_after_the_first_quiet_period()
    {
        await Period(MemoryTrimPolicy.MinimumAllocation);
        await Period(MemoryTrimPolicy.MinimumAllocation);
        Assert.Equal(0, Volatile.Read(ref collections));

        await Period(0);
        await Period(0);
        Assert.Equal(1, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task A_burst_is_collected_while_it_grows()
    {
        await Period(MemoryTrimPolicy.MinimumAllocation, MemoryTrimPolicy.BurstHeadroom);
        await Period(MemoryTrimPolicy.MinimumAllocation);
        Assert.Equal(1, Volatile.Read(ref collections));
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
