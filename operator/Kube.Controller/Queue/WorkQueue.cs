using System.Threading.Channels;
using Kube.Controller.Idle;
using Kube.Controller.Metrics;

namespace Kube.Controller.Queue;

/// <summary>
/// A deduplicating work queue in the shape of client-go's: a key waits at most once, a key
/// being processed is never handed to a second worker (adding it meanwhile queues it again
/// after <see cref="Done"/>), delayed adds keep the earliest due time, and failures back off
/// per key exponentially until <see cref="Forget"/>.
/// </summary>
public sealed class WorkQueue<TKey> : IIdleParticipant, IDisposable where TKey : notnull
{
    /// <summary>Sets larger than this are shrunk once the queue drains; smaller ones are kept to avoid churn.</summary>
    internal const int RetainedCapacity = 1024;

    private readonly WorkQueueOptions options;
    private readonly TimeProvider timeProvider;
    private readonly IControllerMetrics metrics;
    private readonly Lock gate = new();
    private readonly Channel<TKey> ready = Channel.CreateUnbounded<TKey>();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> waiting = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Dictionary<TKey, long> queuedAt = [];
    private readonly Dictionary<TKey, long> processingSince = [];
    private bool shuttingDown;
    private long activity;

    public WorkQueue(WorkQueueOptions options, TimeProvider timeProvider, IControllerMetrics? metrics = null)
    {
        this.options = options;
        this.timeProvider = timeProvider;
        this.metrics = metrics ?? NoControllerMetrics.Instance;
    }

    /// <summary>How many keys wait to be taken (not counting delayed or in-process keys).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return dirty.Count - dirty.Count(processing.Contains);
            }
        }
    }

    /// <summary>
    /// The keys being processed: the sum of their processing times so far and the longest
    /// (client-go's unfinished work and longest running processor).
    /// </summary>
    public (TimeSpan Unfinished, TimeSpan Longest) InFlight()
    {
        lock (gate)
        {
            var now = timeProvider.GetTimestamp();
            var unfinished = TimeSpan.Zero;
            var longest = TimeSpan.Zero;
            foreach (var since in processingSince.Values)
            {
                var elapsed = timeProvider.GetElapsedTime(since, now);
                unfinished += elapsed;
                longest = elapsed > longest ? elapsed : longest;
            }

            return (unfinished, longest);
        }
    }

    /// <inheritdoc/>
    public long Activity => Interlocked.Read(ref activity);

    public void Add(TKey key)
    {
        lock (gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending add wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = timeProvider.GetUtcNow() + delay;
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            if (waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = timeProvider.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            waiting[key] = (due, timer);
        }
    }

    /// <summary>Adds the key after its backoff, which doubles with every call until <see cref="Forget"/>.</summary>
    public void AddRateLimited(TKey key)
    {
        metrics.QueueRetried();
        AddAfter(key, NextBackoff(key));
    }

    /// <summary>Clears the key's failure count, so its next backoff starts from the beginning.</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>The number of failures recorded for the key since it was last forgotten.</summary>
    public int Failures(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for a key and marks it as being processed; not taken once the queue is shut down and drained.</summary>
    public async ValueTask<(bool Taken, TKey Key)> TakeAsync(CancellationToken cancellationToken)
    {
        while (await ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (gate)
            {
                if (ready.Reader.TryRead(out var key))
                {
                    processing.Add(key);
                    dirty.Remove(key);
                    var now = timeProvider.GetTimestamp();
                    if (queuedAt.Remove(key, out var since))
                    {
                        metrics.QueueWaited(timeProvider.GetElapsedTime(since, now));
                    }

                    processingSince[key] = now;
                    Interlocked.Increment(ref activity);
                    return (true, key);
                }
            }
        }

        return (false, default!);
    }

    /// <summary>Ends the processing of a key; if it was added meanwhile, it is queued again.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (processingSince.Remove(key, out var since))
            {
                metrics.WorkFinished(timeProvider.GetElapsedTime(since));
            }

            Interlocked.Increment(ref activity);
            if (dirty.Contains(key) && !shuttingDown)
            {
                queuedAt[key] = timeProvider.GetTimestamp();
                ready.Writer.TryWrite(key);
            }
            else if (dirty.Count == 0 && processing.Count == 0)
            {
                ShrinkAfterBurst();
            }
        }
    }

    /// <summary>The capacity the queue's per-key sets hold now (for tests).</summary>
    internal int Capacity
    {
        get
        {
            lock (gate)
            {
                return Math.Max(dirty.Capacity, queuedAt.Capacity);
            }
        }
    }

    /// <summary>
    /// Gives back what a burst (the first LIST, a relist, a resync) grew the per-key sets to once
    /// nothing waits or runs: a HashSet or Dictionary never shrinks by itself, and after 10,000
    /// keys the empty sets would hold about 1 MB for the life of the process.
    /// </summary>
    private void ShrinkAfterBurst()
    {
        if (dirty.Capacity > RetainedCapacity)
        {
            dirty.TrimExcess();
        }

        if (queuedAt.Capacity > RetainedCapacity)
        {
            queuedAt.TrimExcess();
        }

        if (processingSince.Capacity > RetainedCapacity)
        {
            processingSince.TrimExcess();
        }
    }

    /// <summary>Stops accepting keys; waiting takers get nothing once the ready keys are drained.</summary>
    public void ShutDown()
    {
        lock (gate)
        {
            shuttingDown = true;
            foreach (var (_, timer) in waiting.Values)
            {
                timer.Dispose();
            }

            waiting.Clear();
            queuedAt.Clear();
            ready.Writer.TryComplete();
        }
    }

    public void Dispose() => ShutDown();

    /// <summary>
    /// Busy while a key waits to be taken, is being processed, or is delayed to a time already
    /// reached (its timer is about to fire); keys delayed to the future do not count.
    /// </summary>
    public string? Busy(DateTimeOffset now)
    {
        lock (gate)
        {
            if (processing.Count > 0)
            {
                return $"{processing.Count} key(s) being reconciled";
            }

            if (dirty.Count > 0)
            {
                return $"{dirty.Count} key(s) waiting in the work queue";
            }

            var due = waiting.Values.Count(pending => pending.Due <= now);
            return due > 0 ? $"{due} delayed key(s) due" : null;
        }
    }

    private TimeSpan NextBackoff(TKey key)
    {
        int count;
        lock (gate)
        {
            count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
        }

        return options.Backoff.After(count + 1);
    }

    private void Fire(TKey key, DateTimeOffset due)
    {
        lock (gate)
        {
            if (!waiting.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            pending.Timer.Dispose();
            waiting.Remove(key);
            Interlocked.Increment(ref activity);
            AddLocked(key);
        }
    }

    private void AddLocked(TKey key)
    {
        if (shuttingDown || !dirty.Add(key))
        {
            return;
        }

        Interlocked.Increment(ref activity);
        metrics.QueueAdded();
        if (!processing.Contains(key))
        {
            queuedAt[key] = timeProvider.GetTimestamp();
            ready.Writer.TryWrite(key);
        }
    }
}
