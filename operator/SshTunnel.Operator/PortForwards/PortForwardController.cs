using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Api;
using Kube.Controller.Caching;
using Kube.Controller.Events;
using Kube.Controller.Workers;
using Microsoft.Extensions.Logging;
using Polly;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.PortForwards;

/// <summary>
/// Gather, decide, act for <c>SshPortForward</c>: reads the port forward, its connection and key
/// Secret, its Deployment and Service from the caches, asks Core's
/// <see cref="PortForwardReconciler"/> for the plan and has a <see cref="PortForwardWriter"/>
/// carry it out. A 409 re-reads the objects from the API server by name and decides again.
/// While a foreign Deployment or Service holds a name, both are read by name on a capped backoff
/// (<see cref="OperatorOptions.SecretConflictRecheck"/>): the label-filtered caches never see them.
/// </summary>
public sealed class PortForwardController(
    IKubernetes client,
    Informer<SshPortForward> portForwards,
    Informer<SshTunnelConnection> connections,
    Informer<V1Secret> secrets,
    Informer<V1Deployment> deployments,
    Informer<V1Service> services,
    EventRecorder events,
    ResiliencePipeline apiPipeline,
    OperatorMetrics metrics,
    TimeProvider timeProvider,
    OperatorOptions options,
    ILogger logger) : IReconciler
{
    private const int MaxDecisions = 5;

    /// <summary>The port forwards whose Deployment or Service name is held by a foreign object, with how often it was found there in a row.</summary>
    private readonly ConcurrentDictionary<ObjectKey, int> conflicts = new();

    /// <summary>Dev mode's in-process forwarders, whose addresses are published in status; null in a cluster.</summary>
    public ILocalForwarders? LocalForwarders { get; init; }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var forward = portForwards.Get(key);
        if (forward is null)
        {
            await ForgetAsync(key).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var localAddress = LocalForwarders is null
            ? null
            : await LocalForwarders.EnsureAsync(forward, await ReadKeySecretAsync(key.Namespace, forward.Spec.ConnectionName, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        var (deployment, service) = conflicts.ContainsKey(key)
            ? await ReadWorkloadsAsync(key, cancellationToken).ConfigureAwait(false)
            : (deployments.Get(DeploymentKey(key)), services.Get(key));
        for (var decision = 1; decision <= MaxDecisions; decision++)
        {
            var plan = PortForwardReconciler.Decide(new PortForwardInput(
                PortForwardMapping.ToResource(forward),
                Connection(key.Namespace, forward.Spec.ConnectionName),
                PortForwardMapping.ToJson(deployment),
                PortForwardMapping.ToJson(service),
                new ForwarderSettings(options.ForwarderImage),
                timeProvider.GetUtcNow())
            {
                LocalAddress = localAddress,
            });

            var writer = new PortForwardWriter(client, forward, portForwards, deployments, services, events, apiPipeline, metrics, logger);
            if (await writer.ExecuteAsync(plan, cancellationToken).ConfigureAwait(false) != WriteOutcome.Conflict)
            {
                return Requeue(key, plan.ReadByName);
            }

            metrics.Conflicts.Inc();
            logger.LogInformation("Conflict writing; deciding again from the API server's copies");
            forward = await ReadPortForwardAsync(key, cancellationToken).ConfigureAwait(false);
            if (forward is null)
            {
                await ForgetAsync(key).ConfigureAwait(false);
                return ReconcileResult.Done;
            }

            (deployment, service) = await ReadWorkloadsAsync(key, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{key} kept conflicting after {MaxDecisions} decisions");
    }

    private ReconcileResult Requeue(ObjectKey key, bool readByName)
    {
        if (!readByName)
        {
            conflicts.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        return new ReconcileResult(options.SecretConflictRecheck.After(conflicts.AddOrUpdate(key, 1, (_, checks) => checks + 1)));
    }

    private async Task ForgetAsync(ObjectKey key)
    {
        conflicts.TryRemove(key, out _);
        if (LocalForwarders is not null)
        {
            await LocalForwarders.StopAsync(key).ConfigureAwait(false);
        }
    }

    private V1Secret? KeySecret(string ns, string connection) => secrets.Get(new ObjectKey(ns, KeySecretLayout.SecretName(connection)));

    /// <summary>The connection as the port forward needs it; null when there is none of that name.</summary>
    private ConnectionSnapshot? Connection(string ns, string name)
    {
        if (connections.Get(new ObjectKey(ns, name)) is not { } connection)
        {
            return null;
        }

        var secret = KeySecret(ns, name);
        var controlled = secret?.Metadata.OwnerReferences?.Any(owner => owner.Controller == true && owner.Uid == connection.Metadata.Uid) == true
            || (secret?.Metadata.Labels?.TryGetValue(KeySecretLayout.ConnectionLabel, out var labelled) == true && labelled == name);
        return new ConnectionSnapshot(connection.Status?.PublicKey1 is not null, controlled);
    }

    private static ObjectKey DeploymentKey(ObjectKey key) => new(key.Namespace, PortForwardNames.DeploymentName(key.Name));

    /// <summary>
    /// The key Secret with its data, read by name: the Secret cache keeps no key material, so only
    /// the local forwarders (dev mode), which must write the keys to their folder, read it.
    /// </summary>
    private async Task<V1Secret?> ReadKeySecretAsync(string ns, string connection, CancellationToken cancellationToken) =>
        KeySecret(ns, connection) is null
            ? null
            : await ReadAsync(
                async token =>
                {
                    using var response = await client.CoreV1.ReadNamespacedSecretWithHttpMessagesAsync(
                        KeySecretLayout.SecretName(connection), ns, cancellationToken: token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);

    private async Task<SshPortForward?> ReadPortForwardAsync(ObjectKey key, CancellationToken cancellationToken) =>
        await ReadAsync(
            async token =>
            {
                using var response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<SshPortForward>(
                    ResourceNames.Group, ResourceNames.Version, key.Namespace, PortForwardNames.Plural, key.Name, cancellationToken: token).ConfigureAwait(false);
                return response.Body;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the Deployment and the Service by name from the API server, without the caches' label filter.</summary>
    private async Task<(V1Deployment? Deployment, V1Service? Service)> ReadWorkloadsAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var deployment = await ReadAsync(
            async token =>
            {
                using var response = await client.AppsV1.ReadNamespacedDeploymentWithHttpMessagesAsync(
                    PortForwardNames.DeploymentName(key.Name), key.Namespace, cancellationToken: token).ConfigureAwait(false);
                return response.Body;
            },
            cancellationToken).ConfigureAwait(false);
        var service = await ReadAsync(
            async token =>
            {
                using var response = await client.CoreV1.ReadNamespacedServiceWithHttpMessagesAsync(
                    PortForwardNames.ServiceName(key.Name), key.Namespace, cancellationToken: token).ConfigureAwait(false);
                return response.Body;
            },
            cancellationToken).ConfigureAwait(false);
        return (deployment, service);
    }

    private async Task<T?> ReadAsync<T>(Func<CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await apiPipeline.ExecuteAsync(read, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }
}
