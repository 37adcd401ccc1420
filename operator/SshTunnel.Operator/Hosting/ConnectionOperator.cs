using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Controller;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Probing;
using SshTunnel.Operator.Reconciliation;
using SshTunnel.Operator.Resources;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The whole operator wired together: the two informers feed the work queue, the workers
/// reconcile, probes and events run beside them. Hosted by <see cref="OperatorService"/>, and
/// directly by the integration tests.
/// </summary>
public sealed class ConnectionOperator
{
    private readonly OperatorOptions options;
    private readonly ILogger logger;
    private readonly WorkQueue<ObjectKey> queue;
    private readonly EventRecorder events;
    private readonly ProbeScheduler probes;
    private readonly ControllerWorkers workers;
    private readonly TaskCompletionSource readySource = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionOperator(
        IKubernetes client,
        OperatorOptions options,
        IBastionProbe bastionProbe,
        IKeyPairSource keyPairs,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        this.options = options;
        logger = loggerFactory.CreateLogger<ConnectionOperator>();
        var apiPipeline = ApiPipeline.Create(new ApiRetryOptions(), timeProvider);
        var compaction = new CacheCompaction();
        var informerOptions = new InformerOptions { Namespaces = options.Namespaces, ResyncPeriod = options.ResyncPeriod };
        Connections = new Informer<SshTunnelConnection>(
            new CustomResourceSource<SshTunnelConnection>(client, ResourceNames.Group, ResourceNames.Version, ResourceNames.Plural),
            informerOptions,
            apiPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<SshTunnelConnection>>(),
            compaction.Connection);
        Secrets = new Informer<V1Secret>(
            new SecretSource(client, KeySecretLayout.ManagedBySelector),
            informerOptions with { ResyncPeriod = TimeSpan.Zero },
            apiPipeline,
            timeProvider,
            loggerFactory.CreateLogger<Informer<V1Secret>>(),
            compaction.Secret);
        queue = new WorkQueue<ObjectKey>(new WorkQueueOptions(), timeProvider);
        events = new EventRecorder(client, apiPipeline, timeProvider, loggerFactory.CreateLogger<EventRecorder>());
        probes = new ProbeScheduler(bastionProbe, options.ProbeConcurrency, queue.Add, timeProvider, loggerFactory.CreateLogger<ProbeScheduler>());
        var reconciler = new ConnectionController(
            client, Connections, Secrets, probes, events, keyPairs, apiPipeline, timeProvider, options.RevalidateInterval,
            loggerFactory.CreateLogger<ConnectionController>());
        workers = new ControllerWorkers(queue, reconciler, loggerFactory.CreateLogger<ControllerWorkers>());

        Connections.AddHandler(change =>
        {
            if (change.Type == ResourceEventType.Added)
            {
                OperatorMetrics.Connections.Inc();
            }
            else if (change.Type == ResourceEventType.Deleted)
            {
                OperatorMetrics.Connections.Dec();
            }

            queue.Add(ObjectKey.Of(change.Object));
        });
        Secrets.AddHandler(change =>
        {
            if (OwnerKey(change.Object) is { } owner)
            {
                queue.Add(owner);
            }
        });
    }

    public Informer<SshTunnelConnection> Connections { get; }

    public Informer<V1Secret> Secrets { get; }

    /// <summary>Completes when both caches are filled and the workers run.</summary>
    public Task Ready => readySource.Task;

    /// <summary>Runs until cancelled, then stops taking work and waits for the workers to finish.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var background = new List<Task>
        {
            Connections.RunAsync(cancellationToken),
            Secrets.RunAsync(cancellationToken),
            events.RunAsync(cancellationToken),
        };
        try
        {
            await Task.WhenAll(Connections.Synced, Secrets.Synced).WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Caches synced: {Connections} connections, {Secrets} key Secrets; starting {Workers} workers",
                Connections.List().Count, Secrets.List().Count, options.Workers);
            var running = workers.RunAsync(options.Workers, cancellationToken);
            readySource.TrySetResult();
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            readySource.TrySetCanceled(cancellationToken);
        }
        finally
        {
            queue.ShutDown();
            await probes.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(background).ConfigureAwait(false);
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
