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
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Gather, decide, act. Reads the connection and its key Secret from their caches (the Secret
/// cache keeps no keys, only a <see cref="KeySecretVerdict"/> on them), asks Core for the plan, and
/// when Core needs the Secret itself (to write it, or to probe with its keys) reads it by name from
/// the API server and asks again, so every Secret write rests on the API server's copy and its
/// resourceVersion. Then it has Core's <see cref="PlanExecutor"/> carry the plan out through a
/// <see cref="KubernetesPlanWriter"/>: the Secret, then the status, then events and the probe. A
/// conflict drops the rest of the plan: the reconciler re-reads both objects from the API server,
/// not the possibly stale caches, and decides again, so a rotation is never applied twice.
/// While a foreign Secret holds the key Secret's name, that Secret is read by name on a short
/// capped backoff (<see cref="OperatorOptions.SecretConflictRecheck"/>), since the label-filtered
/// Secret watch never reports its deletion.
/// </summary>
public sealed class ConnectionController(
    IKubernetes client,
    Informer<SshTunnelConnection> connections,
    Informer<V1Secret> secrets,
    CacheCompaction compaction,
    ProbeScheduler probes,
    EventRecorder events,
    IKeyPairSource keyPairs,
    ResiliencePipeline apiPipeline,
    OperatorMetrics metrics,
    TimeProvider timeProvider,
    OperatorOptions options,
    ILogger logger) : IReconciler
{
    private const int MaxDecisions = 5;

    /// <summary>The connections whose key Secret's name is held by a foreign Secret, with how often it was found there in a row.</summary>
    private readonly ConcurrentDictionary<ObjectKey, int> secretConflicts = new();

    private readonly SecretPatchPermission secretPatch = new(timeProvider, logger);

    /// <summary>
    /// Called with the connection's key after its Secret or status was written: the informers do
    /// not report the operator's own writes, and the port forwards that use the connection must
    /// hear that its keys are there.
    /// </summary>
    public Action<ObjectKey>? Written { get; init; }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var connection = connections.Get(key);
        if (connection is null)
        {
            Forget(key);
            return ReconcileResult.Done;
        }

        // The cache keeps no key material, only a verdict on it (CacheCompaction.Secret): the decision starts from that, and
        // a plan that needs the Secret itself reads it by name. A foreign Secret holding the name is read by name at once:
        // the cache sees only the operator's labelled Secrets, and its deletion shows at once.
        var secret = secretConflicts.ContainsKey(key)
            ? await ReadSecretAsync(key, cancellationToken).ConfigureAwait(false)
            : secrets.Get(SecretKey(key));
        for (var decision = 1; decision <= MaxDecisions; decision++)
        {
            var plan = Decide(key, connection, secret);
            if (NeedsWholeSecret(plan) && secret is KeySecretView { Verdict.PairsConfirmed: false } unconfirmedView
                && compaction.PairChecks.Confirm(unconfirmedView, secrets) is { } confirmedView)
            {
                // The pairs a new process listed unchecked are checked now, with no read of the Secret.
                secret = confirmedView;
                plan = Decide(key, connection, secret);
            }

            if (NeedsWholeSecret(plan))
            {
                var unconfirmed = secret is KeySecretView { Verdict.PairsConfirmed: false };
                secret = await ReadSecretAsync(key, cancellationToken).ConfigureAwait(false);
                plan = Decide(key, connection, secret);
                if (unconfirmed && secret is not null && plan.SecretWrite is null)
                {
                    // Deciding checked the Secret's key pairs; its view, converted again, says so, and the next decision needs no GET.
                    secrets.Refresh(secret);
                }
            }

            var writer = new KubernetesPlanWriter(client, connection, key, connections, secrets, compaction, secretPatch, probes, events, apiPipeline, metrics, logger);
            if (await PlanExecutor.ExecuteAsync(plan, writer, cancellationToken).ConfigureAwait(false) != WriteOutcome.Conflict)
            {
                if (plan.SecretWrite is not null || plan.Status is not null)
                {
                    Written?.Invoke(key);
                }

                return Requeue(key, plan);
            }

            metrics.Conflicts.Inc();
            logger.LogInformation("Conflict writing; deciding again from the API server's copy");
            (connection, secret) = await FetchAsync(key, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                Forget(key);
                return ReconcileResult.Done;
            }
        }

        throw new InvalidOperationException($"{key} kept conflicting after {MaxDecisions} decisions");
    }

    private ReconcilePlan Decide(ObjectKey key, SshTunnelConnection connection, V1Secret? secret) =>
        ConnectionReconciler.Decide(new ReconcileInput(
            KubernetesMapping.ToResource(connection),
            secret is null ? null : KubernetesMapping.ToSnapshot(secret),
            probes.History(key),
            timeProvider.GetUtcNow(),
            keyPairs,
            options.Recheck.After)
        {
            RevalidationInterval = options.RevalidateInterval,
            ProbeInFlight = probes.IsRunning(key),
        });

    /// <summary>A rotation planned as a patch needs the whole Secret when the roles refuse patches: it is then written as a replace.</summary>
    private bool NeedsWholeSecret(ReconcilePlan plan) =>
        plan.NeedsWholeSecret || (plan.SecretWrite is { Kind: SecretWriteKind.Promote } && !secretPatch.Allowed);

    private ReconcileResult Requeue(ObjectKey key, ReconcilePlan plan)
    {
        if (!plan.ReadSecretByName)
        {
            secretConflicts.TryRemove(key, out _);
            return new ReconcileResult(plan.RequeueAfter);
        }

        var recheck = options.SecretConflictRecheck.After(secretConflicts.AddOrUpdate(key, 1, (_, checks) => checks + 1));
        return new ReconcileResult(plan.RequeueAfter is { } requeue && requeue < recheck ? requeue : recheck);
    }

    private void Forget(ObjectKey key)
    {
        probes.Forget(key);
        secretConflicts.TryRemove(key, out _);
    }

    private static ObjectKey SecretKey(ObjectKey key) => new(key.Namespace, KeySecretLayout.SecretName(key.Name));

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

        return (connection, await ReadSecretAsync(key, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads the key Secret by name from the API server, without the cache's label filter; null when there is none.</summary>
    private async Task<V1Secret?> ReadSecretAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await client.CoreV1.ReadNamespacedSecretWithHttpMessagesAsync(
                        KeySecretLayout.SecretName(key.Name), key.Namespace, cancellationToken: token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }
}
