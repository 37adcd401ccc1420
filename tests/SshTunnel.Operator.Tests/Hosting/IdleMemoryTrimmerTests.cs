using Microsoft.Extensions.Time.Testing;
using SshTunnel.Operator.Hosting;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The trim after a burst: once per burst, only after a quiet period, never after little work.</summary>
public sealed class IdleMemoryTrimmerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new();
    private readonly CancellationTokenSource stop = new();
    private long allocated;
    private int reads;
    private int trims;
    private Task running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        var trimmer = new IdleMemoryTrimmer(
            time,
            () =>
            {
                Interlocked.Increment(ref reads);
                return Interlocked.Read(ref allocated);
            },
            () => Interlocked.Increment(ref trims));
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
        Assert.Equal(0, Volatile.Read(ref trims));

        await Period(0);
        await Period(IdleMemoryTrimmer.IdleAllocation / 2);
        await Period(0);
        Assert.Equal(1, Volatile.Read(ref trims));
    }

    [Fact]
    public async Task No_trim_while_work_goes_on()
    {
        for (var period = 0; period < 5; period++)
        {
            await Period(IdleMemoryTrimmer.MinimumAllocation);
        }

        Assert.Equal(0, Volatile.Read(ref trims));
    }

    [Fact]
    public async Task Little_work_is_not_trimmed()
    {
        for (var period = 0; period < 5; period++)
        {
            await Period(IdleMemoryTrimmer.IdleAllocation - 1);
        }

        Assert.Equal(0, Volatile.Read(ref trims));
    }

    /// <summary>
    /// Lets one period pass in which <paramref name="bytes"/> are allocated, and waits until the
    /// trimmer has read the count for it; the trimmer handles periods one by one, so the
    /// previous period's decision has then been carried out.
    /// </summary>
    private async Task Period(long bytes)
    {
        Interlocked.Add(ref allocated, bytes);
        var before = Volatile.Read(ref reads);
        time.Advance(IdleMemoryTrimmer.Period);
        await Eventually.Until(() => Volatile.Read(ref reads) > before, "the trimmer to read the allocation count");
    }
}
