using Microsoft.Extensions.Time.Testing;
using Kube.Controller.Queue;

namespace Kube.Controller.Tests.Queue;

/// <summary>The work queue on a fake clock.</summary>
public sealed class WorkQueueTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new();

    private WorkQueue<string> NewQueue() => new(
        new WorkQueueOptions { Backoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40)) },
        time);

    private static async Task<string> Take(WorkQueue<string> queue)
    {
        using var cts = new CancellationTokenSource(HangGuard);
        var (taken, key) = await queue.TakeAsync(cts.Token);
        Assert.True(taken);
        return key;
    }

    [Fact]
    public async Task A_key_added_twice_waits_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await Take(queue));
        Assert.Equal("b", await Take(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_drained_queue_gives_back_what_a_burst_grew_it_to()
    {
        using var queue = NewQueue();
        const int burst = 10 * WorkQueue<string>.RetainedCapacity;
        for (var index = 0; index < burst; index++)
        {
            queue.Add("key-" + index);
        }

        Assert.True(queue.Capacity >= burst);
        for (var index = 0; index < burst - 1; index++)
        {
            queue.Done(await Take(queue));
        }

        Assert.True(queue.Capacity >= burst, "shrunk while keys were still waiting");
        queue.Done(await Take(queue));
        Assert.True(queue.Capacity <= WorkQueue<string>.RetainedCapacity, $"capacity {queue.Capacity}");
    }

    [Fact]
    public async Task A_key_added_while_processing_is_handed_out_only_after_done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var first = await Take(queue);

        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        using var noSecondWorker = new CancellationTokenSource();
        var second = queue.TakeAsync(noSecondWorker.Token).AsTask();
        Assert.False(second.IsCompleted);

        queue.Done(first);
        var (taken, key) = await second.WaitAsync(HangGuard);
        Assert.True(taken);
        Assert.Equal("a", key);
        queue.Done(key);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Backoff_doubles_per_failure_up_to_the_maximum_and_resets_on_forget()
    {
        using var queue = NewQueue();
        foreach (var expected in new[] { 5, 10, 20, 40, 40 })
        {
            queue.AddRateLimited("a");
            time.Advance(TimeSpan.FromMilliseconds(expected - 1));
            Assert.Equal(0, queue.Count);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Count);
            queue.Done(await Take(queue));
        }

        Assert.Equal(5, queue.Failures("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
        queue.AddRateLimited("a");
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Backoff_is_kept_per_key()
    {
        using var queue = NewQueue();
        queue.AddRateLimited("a");
        time.Advance(TimeSpan.FromMilliseconds(5));
        queue.AddRateLimited("a");
        queue.AddRateLimited("b");

        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.Failures("b"));
    }

    [Fact]
    public void The_earliest_delayed_add_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Shutdown_releases_waiting_workers_and_ignores_new_keys()
    {
        using var queue = NewQueue();
        var waiting = queue.TakeAsync(CancellationToken.None).AsTask();

        queue.ShutDown();
        queue.Add("a");

        var (taken, _) = await waiting.WaitAsync(HangGuard);
        Assert.False(taken);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Keys_already_waiting_are_drained_after_shutdown()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.ShutDown();

        Assert.Equal("a", await Take(queue));
        var (taken, _) = await queue.TakeAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);
        Assert.False(taken);
    }
}
