using System.Collections.Concurrent;
using Kube.Controller.Metrics;
using Kube.Controller.Queue;
using Kube.Controller.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Time;

namespace Kube.Controller.Tests.Workers;

/// <summary>The workers around the work queue, with an in-memory reconciler.</summary>
public sealed class ControllerWorkersTests
{
    private static readonly ObjectKey Key = new("default", "a");

    [Fact]
    public async Task Many_workers_never_hold_one_key_at_once()
    {
        using var queue = new WorkQueue<ObjectKey>(new WorkQueueOptions(), TimeProvider.System);
        var reconciler = new RecordingReconciler(async key =>
        {
            await Task.Delay(5);
            return ReconcileResult.Done;
        });
        using var stop = new CancellationTokenSource();
        var running = new ControllerWorkers(queue, reconciler, NoControllerMetrics.Instance, TimeProvider.System, NullLogger.Instance).RunAsync(8, stop.Token);

        for (var round = 0; round < 200; round++)
        {
            queue.Add(new ObjectKey("default", $"k{round % 3}"));
            if (round % 10 == 0)
            {
                await Task.Yield();
            }
        }

        await Eventually.Until(() => reconciler.Calls >= 3 && queue.Count == 0 && reconciler.Active == 0, "the queue to drain");
        await stop.CancelAsync();
        queue.ShutDown();
        await running;
        Assert.Equal(1, reconciler.MaxActivePerKey);
    }

    [Fact]
    public async Task A_failure_is_retried_with_backoff_and_a_success_resets_it()
    {
        using var queue = new WorkQueue<ObjectKey>(
            new WorkQueueOptions { Backoff = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)) },
            TimeProvider.System);
        var failuresLeft = 3;
        var failuresSeen = new ConcurrentQueue<int>();
        var reconciler = new RecordingReconciler(key =>
        {
            failuresSeen.Enqueue(queue.Failures(key));
            return Interlocked.Decrement(ref failuresLeft) >= 0
                ? throw new InvalidOperationException("transient")
                : Task.FromResult(ReconcileResult.Done);
        });
        using var stop = new CancellationTokenSource();
        var running = new ControllerWorkers(queue, reconciler, NoControllerMetrics.Instance, TimeProvider.System, NullLogger.Instance).RunAsync(2, stop.Token);

        queue.Add(Key);
        await Eventually.Until(() => reconciler.Calls == 4 && reconciler.Active == 0, "three retries and a success");
        await stop.CancelAsync();
        queue.ShutDown();
        await running;

        Assert.Equal([0, 1, 2, 3], failuresSeen);
        Assert.Equal(0, queue.Failures(Key));
    }

    [Fact]
    public async Task A_requested_requeue_comes_back_after_its_delay_and_not_before()
    {
        var delay = TimeSpan.FromMinutes(5);
        var time = new RecordingTimeProvider();
        using var queue = new WorkQueue<ObjectKey>(new WorkQueueOptions(), time);
        var reconciler = new RecordingReconciler(_ => Task.FromResult(ReconcileResult.After(delay)));
        using var stop = new CancellationTokenSource();
        var running = new ControllerWorkers(queue, reconciler, NoControllerMetrics.Instance, time, NullLogger.Instance).RunAsync(1, stop.Token);

        queue.Add(Key);
        await Eventually.Until(() => time.DueTimes.Contains(delay), "the requeue to wait out its delay");
        time.Advance(delay - TimeSpan.FromSeconds(1));
        var earlyCalls = reconciler.Calls;
        var earlyWork = queue.Busy(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => reconciler.Calls == 2, "the requeue once its delay passed");
        await stop.CancelAsync();
        queue.ShutDown();
        await running;

        Assert.Equal(1, earlyCalls);
        Assert.Null(earlyWork);
    }

    private sealed class RecordingReconciler(Func<ObjectKey, Task<ReconcileResult>> reconcile) : IReconciler
    {
        private readonly ConcurrentDictionary<ObjectKey, int> activePerKey = new();
        private int calls;
        private int active;
        private int maxActivePerKey;

        public int Calls => Volatile.Read(ref calls);

        public int Active => Volatile.Read(ref active);

        public int MaxActivePerKey => Volatile.Read(ref maxActivePerKey);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref active);
            var concurrent = activePerKey.AddOrUpdate(key, 1, (_, count) => count + 1);
            InterlockedMax(ref maxActivePerKey, concurrent);
            try
            {
                return await reconcile(key);
            }
            finally
            {
                activePerKey.AddOrUpdate(key, 0, (_, count) => count - 1);
                Interlocked.Increment(ref calls);
                Interlocked.Decrement(ref active);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
