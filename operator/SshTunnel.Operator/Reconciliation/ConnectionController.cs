using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Controller;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Resources;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Gather, decide, act. Reads the connection and its key Secret from the caches, asks Core for
/// the plan, and carries it out: the Secret write (the one write that changes state), then the
/// status through <c>/status</c>, then events and the probe. A 409 drops the rest of the plan:
/// the reconciler re-reads both objects from the API server, not the possibly stale caches, and
/// decides again, so a rotation is never applied twice.
/// </summary>
public sealed class ConnectionController(
    IKubernetes client,
    Informer<SshTunnelConnection> connections,
    Informer<V1Secret> secrets,
    ProbeScheduler probes,
    EventRecorder events,
    IKeyPairSource keyPairs,
    ResiliencePipeline apiPipeline,
    TimeProvider timeProvider,
    TimeSpan revalidationInterval,
    ILogger logger) : IReconciler
{
    private const int MaxDecisions = 5;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var connection = connections.Get(key);
        if (connection is null)
        {
            probes.Forget(key);
            return ReconcileResult.Done;
        }

        var secret = secrets.Get(SecretKey(key));
        for (var decision = 1; decision <= MaxDecisions; decision++)
        {
            var plan = ConnectionReconciler.Decide(new ReconcileInput(
                KubernetesMapping.ToResource(connection),
                secret is null ? null : KubernetesMapping.ToSnapshot(secret),
                probes.History(key),
                timeProvider.GetUtcNow(),
                keyPairs)
            {
                RevalidationInterval = revalidationInterval,
                ProbeInFlight = probes.IsRunning(key),
            });

            if (await ActAsync(key, connection, plan, cancellationToken).ConfigureAwait(false))
            {
                return new ReconcileResult(plan.RequeueAfter);
            }

            OperatorMetrics.Conflicts.Inc();
            logger.LogInformation("Conflict writing {Key}; deciding again from the API server's copy", key.ToString());
            (connection, secret) = await FetchAsync(key, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                probes.Forget(key);
                return ReconcileResult.Done;
            }
        }

        throw new InvalidOperationException($"{key} kept conflicting after {MaxDecisions} decisions");
    }

    private static ObjectKey SecretKey(ObjectKey key) => new(key.Namespace, KeySecretLayout.SecretName(key.Name));

    /// <summary>Carries out the plan; false when a write met a conflict and the rest of the plan was dropped.</summary>
    private async Task<bool> ActAsync(ObjectKey key, SshTunnelConnection connection, ReconcilePlan plan, CancellationToken cancellationToken)
    {
        if (plan.SecretWrite is { } write)
        {
            try
            {
                secrets.Observe(await WriteSecretAsync(write, cancellationToken).ConfigureAwait(false), write.ExpectedResourceVersion);
            }
            catch (Exception e) when (ApiErrors.IsConflict(e) || (write.Kind == SecretWriteKind.Replace && ApiErrors.IsNotFound(e)))
            {
                return false;
            }

            OperatorMetrics.Writes.WithLabels("secret").Inc();
            logger.LogInformation("{Action} key Secret of {Key}", write.Kind == SecretWriteKind.Create ? "Created" : "Replaced", key.ToString());
            Emit(connection, plan.Events);
        }

        if (plan.Status is { } status)
        {
            try
            {
                connections.Observe(await WriteStatusAsync(connection, status, cancellationToken).ConfigureAwait(false), connection.Metadata.ResourceVersion);
                OperatorMetrics.Writes.WithLabels("status").Inc();
            }
            catch (Exception e) when (ApiErrors.IsConflict(e))
            {
                return false;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return true;
            }
        }

        if (plan.SecretWrite is null)
        {
            Emit(connection, plan.Events);
        }

        if (plan.Probe is { } request)
        {
            probes.Start(key, request);
        }

        return true;
    }

    private void Emit(SshTunnelConnection connection, IReadOnlyList<PlannedEvent> planned)
    {
        foreach (var next in planned)
        {
            events.Record(connection, next.Type == EventType.Warning ? "Warning" : "Normal", next.Reason, next.Message);
        }
    }

    private async Task<V1Secret> WriteSecretAsync(SecretWrite write, CancellationToken cancellationToken)
    {
        var body = KubernetesMapping.ToSecret(write.Contents, write.ExpectedResourceVersion);
        return await apiPipeline.ExecuteAsync(
            async token =>
            {
                using var response = write.Kind == SecretWriteKind.Create
                    ? await client.CoreV1.CreateNamespacedSecretWithHttpMessagesAsync(
                        body, write.Contents.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token).ConfigureAwait(false)
                    : await client.CoreV1.ReplaceNamespacedSecretWithHttpMessagesAsync(
                        body, write.Contents.Name, write.Contents.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token).ConfigureAwait(false);
                return response.Body;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<SshTunnelConnection> WriteStatusAsync(SshTunnelConnection connection, ConnectionStatus status, CancellationToken cancellationToken)
    {
        var body = new SshTunnelConnection { Metadata = connection.Metadata, Spec = connection.Spec, Status = status };
        return await apiPipeline.ExecuteAsync(
            async token =>
            {
                using var response = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<SshTunnelConnection>(
                    body,
                    ResourceNames.Group,
                    ResourceNames.Version,
                    connection.Metadata.NamespaceProperty,
                    ResourceNames.Plural,
                    connection.Metadata.Name,
                    fieldManager: ResourceNames.Manager,
                    cancellationToken: token).ConfigureAwait(false);
                return response.Body;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads both objects from the API server; the Secret read has no label filter, so a foreign Secret shows up.</summary>
    private async Task<(SshTunnelConnection? Connection, V1Secret? Secret)> FetchAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        SshTunnelConnection? connection;
        try
        {
            connection = await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<SshTunnelConnection>(
                        ResourceNames.Group, ResourceNames.Version, key.Namespace, ResourceNames.Plural, key.Name, cancellationToken: token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return (null, null);
        }

        try
        {
            var secret = await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await client.CoreV1.ReadNamespacedSecretWithHttpMessagesAsync(
                        KeySecretLayout.SecretName(key.Name), key.Namespace, cancellationToken: token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
            return (connection, secret);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return (connection, null);
        }
    }
}
