using Kube.Controller.Idle;
using Kube.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Kube.Controller.Tests.Idle;

/// <summary>The idle signal over a real work queue on a fake clock, and stand-in caches and participants.</summary>
public sealed class IdleSignalTests : IDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly WorkQueue<string> queue;

    public IdleSignalTests() => queue = new WorkQueue<string>(new WorkQueueOptions(), time);

    public void Dispose() => queue.Dispose();

    private IdleSignal Signal(params IIdleParticipant[] others) => new([], [queue, .. others], time);

    [Fact]
    public async Task A_key_is_busy_from_its_add_until_its_reconcile_is_done()
    {
        var signal = Signal();
        Assert.True(signal.Check().IsIdle);

        queue.Add("default/a");
        Assert.Equal("1 key(s) waiting in the work queue", signal.Check().Pending);

        var (taken, key) = await queue.TakeAsync(CancellationToken.None);
        Assert.True(taken);
        Assert.Equal("1 key(s) being reconciled", signal.Check().Pending);

        queue.Done(key);
        Assert.Equal(IdleReport.Idle, signal.Check());
    }

    [Fact]
    public void A_key_delayed_into_the_future_is_not_pending_but_is_once_it_fires()
    {
        var signal = Signal();
        queue.AddAfter("default/a", TimeSpan.FromMinutes(10));

        Assert.True(signal.Check().IsIdle);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("1 key(s) waiting in the work queue", signal.Check().Pending);
    }

    [Fact]
    public void A_cache_behind_the_version_asked_for_is_pending_and_is_asked_for_that_version()
    {
        var cache = new StubCache(reached: 41);
        var signal = new IdleSignal([cache], [queue], time);

        Assert.Equal("at 41, waiting for 42", signal.Check(42).Pending);
        Assert.True(signal.Check(41).IsIdle);
        Assert.True(signal.Check().IsIdle);
    }

    [Fact]
    public void Work_that_starts_during_the_check_answers_busy()
    {
        var signal = Signal(new StartsWorkWhenAsked(queue));

        var report = signal.Check();

        Assert.False(report.IsIdle);
        Assert.Equal("work started during the check", report.Pending);
    }

    [Fact]
    public async Task Waiting_completes_once_the_last_key_is_done()
    {
        var signal = Signal();
        queue.Add("default/a");
        var waiting = signal.WaitAsync(null, CancellationToken.None);
        var (_, key) = await queue.TakeAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.Done(key);
        while (!waiting.IsCompleted)
        {
            time.Advance(IdleSignal.PollInterval);
            await Task.Yield();
        }

        await waiting;
    }

    /// <summary>A cache that has seen every change up to a fixed resourceVersion.</summary>
    private sealed class StubCache(long reached) : ICacheProgress
    {
        public string? Behind(long resourceVersion) => resourceVersion > reached ? $"at {reached}, waiting for {resourceVersion}" : null;
    }

    /// <summary>Idle itself, but hands the queue a key while it is asked: a probe finishing mid-check.</summary>
    private sealed class StartsWorkWhenAsked(WorkQueue<string> queue) : IIdleParticipant
    {
        public long Activity => 0;

        public string? Busy(DateTimeOffset now)
        {
            queue.Add("default/probed");
            return null;
        }
    }
}
