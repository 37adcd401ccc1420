using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Kube.Controller.Api;
using Kube.Controller.Idle;

namespace Kube.Controller.Events;

/// <summary>
/// Publishes core/v1 Events about resources, off the reconcile path. A repeat of the same
/// type, reason and message for the same object bumps the existing Event's count and
/// lastTimestamp instead of creating another, as kubectl describe expects. Events are best
/// effort, as client-go's broadcaster makes them: at most <see cref="DefaultCapacity"/> wait to
/// be written, and one recorded while that many wait is dropped and counted
/// (<see cref="Dropped"/>). One writer publishes them one at a time, so a burst (10,000 new
/// resources, two Events each) would otherwise queue for minutes and hold every message in
/// memory meanwhile.
/// </summary>
public sealed class EventRecorder : IIdleParticipant
{
    /// <summary>How many Events may wait to be written, as client-go's broadcaster queues at most 1,000.</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>How many distinct events are remembered for aggregation, as client-go's event correlator keeps an LRU of 4096.</summary>
    private const int Remembered = 4096;

    private readonly IKubernetes client;
    private readonly ResiliencePipeline apiPipeline;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string instance = Environment.MachineName;
    private readonly Channel<PendingEvent> pending;
    private readonly Dictionary<(string Uid, string Type, string Reason, string Message), PublishedEvent> published = [];
    private readonly Queue<(string Uid, string Type, string Reason, string Message)> publishedOrder = new();
    private long sequence;
    private int unpublished;
    private long activity;
    private long dropped;

    /// <summary>1 from the first drop until the queue next drains: one warning per overflow, not one per dropped Event.</summary>
    private int overflowing;

    /// <summary>
    /// Publishes Events that name <paramref name="component"/> (e.g. the controller's name) as
    /// their reporting component and source, with at most <paramref name="capacity"/> waiting.
    /// </summary>
    public EventRecorder(string component, IKubernetes client, ResiliencePipeline apiPipeline, TimeProvider timeProvider, ILogger logger, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Component = component;
        this.client = client;
        this.apiPipeline = apiPipeline;
        this.timeProvider = timeProvider;
        this.logger = logger;
        Capacity = capacity;
        // Wait, not a drop mode: TryWrite then says false when the queue is full, and the drop is counted here.
        pending = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public string Component { get; }

    /// <summary>How many Events may wait to be written before new ones are dropped.</summary>
    public int Capacity { get; }

    /// <summary>Events dropped so far because <see cref="Capacity"/> were waiting.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues an Event; <paramref name="type"/> is <c>Normal</c> or <c>Warning</c>.</summary>
    public void Record(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message)
    {
        Interlocked.Increment(ref unpublished);
        Interlocked.Increment(ref activity);
        if (!pending.Writer.TryWrite(new PendingEvent(
            new V1ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Name = involved.Metadata.Name,
                NamespaceProperty = involved.Metadata.NamespaceProperty,
                Uid = involved.Metadata.Uid,
                ResourceVersion = involved.Metadata.ResourceVersion,
            },
            type,
            reason,
            message)))
        {
            Interlocked.Decrement(ref unpublished);
            Interlocked.Increment(ref dropped);
            if (Interlocked.Exchange(ref overflowing, 1) == 0)
            {
                logger.LogWarning(
                    "{Capacity} events are waiting to be written; new events are dropped until the queue drains (first dropped: {Reason} for {Name}; the object's status says the same)",
                    Capacity,
                    reason,
                    involved.Metadata.Name);
            }
        }
    }

    /// <inheritdoc/>
    public long Activity => Interlocked.Read(ref activity);

    /// <summary>Busy while an Event is queued or being written.</summary>
    public string? Busy(DateTimeOffset now) =>
        Volatile.Read(ref unpublished) is > 0 and var count ? $"{count} event(s) not yet published" : null;

    /// <summary>Writes queued Events until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var next in pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await PublishAsync(next, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not publish event {Reason} for {Name}", next.Reason, next.Involved.Name);
                }
                finally
                {
                    Interlocked.Increment(ref activity);
                    Interlocked.Decrement(ref unpublished);
                }

                if (pending.Reader.Count == 0 && Interlocked.Exchange(ref overflowing, 0) == 1)
                {
                    logger.LogInformation("The event queue drained; {Dropped} events dropped so far", Dropped);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
    }

    private async Task PublishAsync(PendingEvent next, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var key = (next.Involved.Uid ?? "", next.Type, next.Reason, next.Message);
        var ns = next.Involved.NamespaceProperty;
        if (published.TryGetValue(key, out var previous))
        {
            var repeated = previous with { Count = previous.Count + 1 };
            try
            {
                await apiPipeline.ExecuteAsync(
                    async token => await client.CoreV1.ReplaceNamespacedEventAsync(
                        Build(next, repeated, now), repeated.Name, ns, cancellationToken: token).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                published[key] = repeated;
                return;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
            {
                logger.LogDebug("Event {Name} is gone; recording a new one", previous.Name);
            }
        }

        var first = new PublishedEvent($"{next.Involved.Name}.{now.Ticks:x}{Interlocked.Increment(ref sequence):x}", 1, now);
        await apiPipeline.ExecuteAsync(
            async token => await client.CoreV1.CreateNamespacedEventAsync(
                Build(next, first, now), ns, cancellationToken: token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        Remember(key, first);
    }

    private void Remember((string Uid, string Type, string Reason, string Message) key, PublishedEvent entry)
    {
        if (!published.TryAdd(key, entry))
        {
            published[key] = entry;
            return;
        }

        publishedOrder.Enqueue(key);
        while (publishedOrder.Count > Remembered)
        {
            published.Remove(publishedOrder.Dequeue());
        }
    }

    private Corev1Event Build(PendingEvent next, PublishedEvent entry, DateTime now) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = entry.Name, NamespaceProperty = next.Involved.NamespaceProperty },
        InvolvedObject = next.Involved,
        Type = next.Type,
        Reason = next.Reason,
        Message = next.Message,
        Count = entry.Count,
        FirstTimestamp = entry.FirstTimestamp,
        LastTimestamp = now,
        Source = new V1EventSource { Component = Component },
        ReportingComponent = Component,
        ReportingInstance = instance,
    };

    private sealed record PublishedEvent(string Name, int Count, DateTime FirstTimestamp);

    private sealed record PendingEvent(V1ObjectReference Involved, string Type, string Reason, string Message);
}
