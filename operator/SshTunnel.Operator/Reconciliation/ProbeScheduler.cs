using Kube.Controller;
using Kube.Controller.Idle;
using Microsoft.Extensions.Logging;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Runs bastion probes off the reconcile path, at most <c>concurrency</c> at once, one per
/// resource at a time. Keeps each resource's latest <see cref="ProbeHistory"/> and hands the
/// key back to the work queue when a probe completes, so a rotation or another resource never
/// waits for a slow bastion.
/// </summary>
public sealed class ProbeScheduler : IIdleParticipant, IAsyncDisposable
{
    private readonly IBastionProbe probe;
    private readonly OperatorMetrics metrics;
    private readonly SemaphoreSlim slots;
    private readonly Action<ObjectKey> onCompleted;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, ProbeHistory> histories = [];
    private readonly Dictionary<ObjectKey, Task> running = [];
    private readonly CancellationTokenSource stopping = new();
    private int handingOver;
    private long activity;

    public ProbeScheduler(
        IBastionProbe probe, int concurrency, Action<ObjectKey> onCompleted, OperatorMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        this.probe = probe;
        this.metrics = metrics;
        slots = new SemaphoreSlim(concurrency, concurrency);
        this.onCompleted = onCompleted;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public ProbeHistory? History(ObjectKey key)
    {
        lock (gate)
        {
            return histories.GetValueOrDefault(key);
        }
    }

    public bool IsRunning(ObjectKey key)
    {
        lock (gate)
        {
            return running.ContainsKey(key);
        }
    }

    /// <summary>Starts a probe unless one of this resource already runs.</summary>
    public void Start(ObjectKey key, ProbeRequest request)
    {
        lock (gate)
        {
            if (stopping.IsCancellationRequested || running.ContainsKey(key))
            {
                return;
            }

            metrics.ProbesRunning.Inc();
            activity++;
            running[key] = Task.Run(() => RunAsync(key, request));
        }
    }

    /// <inheritdoc/>
    public long Activity
    {
        get
        {
            lock (gate)
            {
                return activity;
            }
        }
    }

    /// <summary>Busy from a probe's start until its result has been handed back to the work queue.</summary>
    public string? Busy(DateTimeOffset now)
    {
        lock (gate)
        {
            var pending = running.Count + handingOver;
            return pending > 0 ? $"{pending} probe(s) running" : null;
        }
    }

    /// <summary>Drops what is known of a deleted resource.</summary>
    public void Forget(ObjectKey key)
    {
        lock (gate)
        {
            histories.Remove(key);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            stopping.Cancel();
            pending = [.. running.Values];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        stopping.Dispose();
        slots.Dispose();
    }

    private async Task RunAsync(ObjectKey key, ProbeRequest request)
    {
        ProbeResult result;
        try
        {
            await slots.WaitAsync(stopping.Token).ConfigureAwait(false);
            try
            {
                result = await probe.ProbeAsync(request, stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            lock (gate)
            {
                running.Remove(key);
                activity++;
            }

            metrics.ProbesRunning.Dec();
            return;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Probe of {Object} failed unexpectedly", key.ToString());
            result = new ProbeResult(
                request.Connection, new KeyProbe(ProbeOutcome.ProtocolError, e.Message), null, null, null, timeProvider.GetUtcNow());
        }

        lock (gate)
        {
            histories[key] = ProbeHistory.Record(histories.GetValueOrDefault(key), request, result);
            running.Remove(key);
            handingOver++;
            activity++;
        }

        metrics.ProbesRunning.Dec();
        metrics.Probes.WithLabels(result.Key1.Outcome.ToString()).Inc();

        logger.LogInformation(
            "Probe of {Object} as {Connection}: key 1 {Key1}, key 2 {Key2}",
            key.ToString(), request.Connection.ToString(), result.Key1.Outcome, result.Key2?.Outcome.ToString() ?? "not tried");
        try
        {
            onCompleted(key);
        }
        finally
        {
            lock (gate)
            {
                handingOver--;
                activity++;
            }
        }
    }
}
