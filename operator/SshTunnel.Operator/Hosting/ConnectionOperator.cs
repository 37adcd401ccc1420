using System.Globalization;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Api;
using Kube.Controller.Caching;
using Kube.Controller.Events;
using Kube.Controller.Idle;
using Kube.Controller.Queue;
using Kube.Controller.Sources;
using Kube.Controller.Workers;
using Microsoft.Extensions.Logging;
using SshTunnel.Api;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.PortForwards;
using SshTunnel.Operator.Probing;
using SshTunnel.Operator.Reconciliation;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The whole operator wired together: the connection and key Secret informers feed the
/// connections' work queue, the port forward, Deployment and Service informers (and changes of
/// the connections they use) feed the port forwards' queue; each queue has its workers; probes
/// and events run beside them. Hosted by <see cref="OperatorService"/>, and
/// directly by the integration tests. Its caches and queue feed the scrape-time metrics.
/// </summary>
public sealed class ConnectionOperator : IOperatorState
{
    private readonly OperatorOptions options;
    private readonly ILogger logger;
    private readonly WorkQueue<ObjectKey> queue;
    private readonly EventRecorder events;
    private readonly ProbeScheduler probes;
    private readonly ControllerWorkers workers;
    private readonly WorkQueue<ObjectKey> portForwardQueue;
    private readonly ControllerWorkers portForwardWorkers;
    private readonly PortForwardCrdGate portForwardCrd;
    private readonly PendingPairChecks pairChecks;
    private readonly TaskCompletionSource readySource = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionOperator(
        ControllerClient client,
        OperatorOptions options,
        IBastionProbe bastionProbe,
        IKeyPairSource keyPairs,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        OperatorMetrics? metrics = null,
        ILocalForwarders? localForwarders = null)
    {
        this.options = options;
        Metrics = metrics ?? new OperatorMetrics();
        logger = loggerFactory.CreateLogger<ConnectionOperator>();
        var apiPipeline = ApiPipeline.Create(new ApiRetryOptions { AttemptTimeout = options.ApiTimeout }, timeProvider);

        // A LIST of every page of a large collection may take longer than one write should.
        var listPipeline = ApiPipeline.Create(new ApiRetryOptions(), timeProvider);
        var compaction = new CacheCompaction();
        pairChecks = compaction.PairChecks;
        var informerOptions = new InformerOptions { Namespaces = options.Namespaces, ResyncPeriod = options.ResyncPeriod };
        Connections = new Informer<SshTunnelConnection>(
            ResourceSources.CustomResources<SshTunnelConnection>(client, ResourceNames.Group, ResourceNames.Version, ResourceNames.Plural),
            informerOptions,
            listPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<SshTunnelConnection>>(),
            compaction.Connection);
        Secrets = new Informer<V1Secret>(
            ResourceSources.Secrets(client, KeySecretLayout.ManagedBySelector),
            informerOptions with { ResyncPeriod = TimeSpan.Zero },
            listPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<V1Secret>>(),
            compaction.Secret);
        PortForwards = new Informer<SshPortForward>(
            ResourceSources.CustomResources<SshPortForward>(client, ResourceNames.Group, ResourceNames.Version, PortForwardNames.Plural),
            informerOptions,
            listPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<SshPortForward>>());
        Deployments = new Informer<V1Deployment>(
            ResourceSources.Deployments(client, PortForwardNames.ManagedBySelector),
            informerOptions with { ResyncPeriod = TimeSpan.Zero },
            listPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<V1Deployment>>());
        Services = new Informer<V1Service>(
            ResourceSources.Services(client, PortForwardNames.ManagedBySelector),
            informerOptions with { ResyncPeriod = TimeSpan.Zero },
            listPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<V1Service>>());
        queue = new WorkQueue<ObjectKey>(new WorkQueueOptions(), timeProvider, Metrics.ConnectionController);
        events = new EventRecorder(ResourceNames.Manager, client, apiPipeline, timeProvider, loggerFactory.CreateLogger<EventRecorder>());
        probes = new ProbeScheduler(
            bastionProbe, options.ProbeConcurrency, queue.Add, Metrics, timeProvider, loggerFactory.CreateLogger<ProbeScheduler>());
        var portForwardKeys = new PortForwardKeys();
        portForwardCrd = new PortForwardCrdGate(
            client, PortForwards, Connections, options.Namespaces, apiPipeline, PortForwardCrdGate.DefaultRecheck, timeProvider,
            loggerFactory.CreateLogger<PortForwardCrdGate>());
        var reconciler = new ConnectionController(
            client, Connections, Secrets, compaction, probes, events, keyPairs, apiPipeline, Metrics, timeProvider, options,
            loggerFactory.CreateLogger<ConnectionController>())
        {
            Written = connection => AddAll(portForwardKeys.UsersOf(connection)),
        };
        workers = new ControllerWorkers(queue, reconciler, Metrics.ConnectionController, timeProvider, loggerFactory.CreateLogger<ControllerWorkers>());

        // Port forwards have a queue and workers of their own (a connection and a port forward may share a name),
        // reported under a controller label of their own.
        portForwardQueue = new WorkQueue<ObjectKey>(new WorkQueueOptions(), timeProvider, Metrics.PortForwardController);
        var portForwardController = new PortForwardController(
            client, PortForwards, Connections, Secrets, Deployments, Services, events, apiPipeline, Metrics, timeProvider, options,
            loggerFactory.CreateLogger<PortForwardController>())
        {
            LocalForwarders = localForwarders,
        };
        portForwardWorkers = new ControllerWorkers(
            portForwardQueue, portForwardController, Metrics.PortForwardController, timeProvider, loggerFactory.CreateLogger<ControllerWorkers>());
        Idle = new IdleSignal(
            [Connections, Secrets, portForwardCrd, Deployments, Services], [probes, events, queue, portForwardQueue, pairChecks], timeProvider);

        Connections.AddHandler(change =>
        {
            queue.Add(ObjectKey.Of(change.Object));
            AddAll(portForwardKeys.UsersOf(ObjectKey.Of(change.Object)));
        });
        Secrets.AddHandler(change =>
        {
            if (OwnerKey(change.Object) is { } owner)
            {
                queue.Add(owner);
            }

            AddAll(portForwardKeys.UsersOfSecret(change.Object));
        });
        PortForwards.AddHandler(portForwardKeys.Track);
        PortForwards.AddHandler(change => portForwardQueue.Add(ObjectKey.Of(change.Object)));
        Deployments.AddHandler(change => AddOwner(PortForwardKeys.Owner(change.Object)));
        Services.AddHandler(change => AddOwner(PortForwardKeys.Owner(change.Object)));
    }

    public Informer<SshTunnelConnection> Connections { get; }

    public Informer<V1Secret> Secrets { get; }

    public Informer<SshPortForward> PortForwards { get; }

    /// <summary>The Deployments the operator runs for port forwards (label-selected).</summary>
    public Informer<V1Deployment> Deployments { get; }

    /// <summary>The Services the operator runs for port forwards (label-selected).</summary>
    public Informer<V1Service> Services { get; }

    /// <summary>What this operator reports; a fresh registry unless the host passed its own.</summary>
    public OperatorMetrics Metrics { get; }

    /// <summary>Says when the operator has nothing left to do; see <see cref="IdleSignal"/>.</summary>
    public IdleSignal Idle { get; }

    /// <summary>
    /// Completes once the caches have reached <paramref name="resourceVersion"/> (and the
    /// operator's own writes) and nothing is queued, due, reconciling, probing or unpublished.
    /// </summary>
    public Task WaitForIdleAsync(long? resourceVersion, CancellationToken cancellationToken) =>
        Idle.WaitAsync(resourceVersion, cancellationToken);

    /// <summary>
    /// Completes when the caches are filled and the workers run. The port forward cache counts as
    /// filled when the SshPortForward CRD is not installed: connections do not wait for it.
    /// </summary>
    public Task Ready => readySource.Task;

    /// <inheritdoc/>
    public QueueState ConnectionQueue => QueueState.Of(queue);

    /// <inheritdoc/>
    public QueueState PortForwardQueue => QueueState.Of(portForwardQueue);

    /// <inheritdoc/>
    public bool PortForwardsServed => portForwardCrd.Served;

    public long EventsDropped => events.Dropped;

    /// <summary>Runs until cancelled, then stops at once: reconciles in flight are cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, cancellationToken);

    /// <summary>
    /// Runs until <paramref name="drain"/>, then takes no new keys and lets the workers finish
    /// the keys already queued or in flight; <paramref name="abort"/> cancels them (and
    /// everything else) at once.
    /// </summary>
    public async Task RunAsync(CancellationToken drain, CancellationToken abort)
    {
        using var stopBackground = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var background = new List<Task>
        {
            Connections.RunAsync(stopBackground.Token),
            Secrets.RunAsync(stopBackground.Token),
            portForwardCrd.RunAsync(stopBackground.Token),
            Deployments.RunAsync(stopBackground.Token),
            Services.RunAsync(stopBackground.Token),
            events.RunAsync(stopBackground.Token),
        };
        using var stopTaking = drain.Register(queue.ShutDown);
        using var stopTakingPortForwards = drain.Register(portForwardQueue.ShutDown);
        try
        {
            await Task.WhenAll(Connections.Synced, Secrets.Synced, portForwardCrd.Settled, Deployments.Synced, Services.Synced)
                .WaitAsync(drain).WaitAsync(abort).ConfigureAwait(false);
            logger.LogInformation(
                "Caches synced: {Connections} connections, {Secrets} key Secrets, {PortForwards} port forwards; starting {Workers} workers for each",
                Connections.List().Count, Secrets.List().Count, PortForwards.List().Count, options.Workers);
            var running = Task.WhenAll(workers.RunAsync(options.Workers, abort), portForwardWorkers.RunAsync(options.Workers, abort));
            background.Add(Task.Run(() => pairChecks.RunAsync(Secrets, stopBackground.Token), CancellationToken.None));
            readySource.TrySetResult();
            await running.ConfigureAwait(false);
            if (drain.IsCancellationRequested)
            {
                logger.LogInformation("Workers finished the reconciles in flight");
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested || abort.IsCancellationRequested)
        {
            readySource.TrySetCanceled(abort.IsCancellationRequested ? abort : drain);
        }
        finally
        {
            queue.ShutDown();
            portForwardQueue.ShutDown();
            await stopBackground.CancelAsync().ConfigureAwait(false);
            await probes.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(background).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public IEnumerable<string?> ReadyStatuses() =>
        Connections.List().Select(connection => connection.Status?.Conditions.FirstOrDefault(condition => condition.Type == ConditionTypes.Ready)?.Status);

    /// <inheritdoc/>
    public IEnumerable<DateTimeOffset> KeyTimes()
    {
        foreach (var secret in Secrets.List())
        {
            if (secret.Metadata.Annotations?.TryGetValue(KeySecretLayout.LastRotationTimeAnnotation, out var text) == true
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var rotated))
            {
                yield return rotated;
            }
            else if (secret.Metadata.CreationTimestamp is { } created)
            {
                yield return new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc));
            }
        }
    }

    private void AddOwner(ObjectKey? owner)
    {
        if (owner is { } key)
        {
            portForwardQueue.Add(key);
        }
    }

    private void AddAll(IEnumerable<ObjectKey> keys)
    {
        foreach (var key in keys)
        {
            portForwardQueue.Add(key);
        }
    }

    /// <summary>The connection a key Secret belongs to: its controller owner, else its connection label.</summary>
    private static ObjectKey? OwnerKey(V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty ?? "";
        var owner = secret.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true && reference.Kind == ResourceNames.Kind);
        if (owner is not null)
        {
            return new ObjectKey(ns, owner.Name);
        }

        return secret.Metadata.Labels?.TryGetValue(KeySecretLayout.ConnectionLabel, out var name) == true
            ? new ObjectKey(ns, name)
            : null;
    }
}
