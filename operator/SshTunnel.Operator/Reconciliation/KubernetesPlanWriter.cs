using k8s;
using k8s.Autorest;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Api;
using Kube.Controller.Caching;
using Kube.Controller.Events;
using Microsoft.Extensions.Logging;
using Polly;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// One reconcile's writes against the API server, in the order <see cref="PlanExecutor"/> calls
/// them. Every write goes through the API pipeline (transient failures retried), is recorded
/// in its cache, so the next decision reads its own write, and is counted once it succeeded.
/// </summary>
internal sealed partial class KubernetesPlanWriter(
    IKubernetes client,
    SshTunnelConnection connection,
    ObjectKey key,
    Informer<SshTunnelConnection> connections,
    Informer<V1Secret> secrets,
    CacheCompaction compaction,
    SecretPatchPermission secretPatch,
    ProbeScheduler probes,
    EventRecorder events,
    ResiliencePipeline apiPipeline,
    OperatorMetrics metrics,
    ILogger logger) : IPlanWriter
{
    public async ValueTask<WriteOutcome> WriteSecretAsync(SecretWrite write, CancellationToken cancellationToken)
    {
        var send = SecretRequest(write);
        using var writing = secrets.BeginWrite(new ObjectKey(write.Contents.Namespace, write.Contents.Name));
        try
        {
            var written = await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await send(token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
            secrets.Observe(compaction.Written(written, write), write.ExpectedResourceVersion);
            metrics.Writes.WithLabels("secret").Inc();
            metrics.KeyRotations.Inc(write.RotationsAdded);
            LogSecretWritten(logger, write.Kind switch { SecretWriteKind.Create => "Created", SecretWriteKind.Replace => "Replaced", _ => "Rotated by a patch" });
            return WriteOutcome.Written;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e)
            || (write.Kind != SecretWriteKind.Create && ApiErrors.IsNotFound(e))
            || (write.Kind == SecretWriteKind.Promote && ApiErrors.IsInvalid(e)))
        {
            // A promotion's patch names paths the Secret it was decided on had; one that lacks them changed since.
            return WriteOutcome.Conflict;
        }
        catch (Exception e) when (write.Kind == SecretWriteKind.Promote && ApiErrors.IsForbidden(e))
        {
            // Roles without patch on Secrets: decided again, the rotation is a read and a replace.
            secretPatch.Refused();
            return WriteOutcome.Conflict;
        }
    }

    /// <summary>The request that carries <paramref name="write"/> out, its body built once: a retried attempt sends the same one.</summary>
    private Func<CancellationToken, Task<HttpOperationResponse<V1Secret>>> SecretRequest(SecretWrite write)
    {
        var (name, ns) = (write.Contents.Name, write.Contents.Namespace);
        switch (write.Kind)
        {
            case SecretWriteKind.Create:
                var created = KubernetesMapping.ToSecret(write.Contents, null);
                return token => client.CoreV1.CreateNamespacedSecretWithHttpMessagesAsync(created, ns, fieldManager: ResourceNames.Manager, cancellationToken: token);
            case SecretWriteKind.Replace:
                var replaced = KubernetesMapping.ToSecret(write.Contents, write.ExpectedResourceVersion);
                return token => client.CoreV1.ReplaceNamespacedSecretWithHttpMessagesAsync(replaced, name, ns, fieldManager: ResourceNames.Manager, cancellationToken: token);
            default:
                var patch = KubernetesMapping.ToPromotionPatch(write);
                return token => client.CoreV1.PatchNamespacedSecretWithHttpMessagesAsync(patch, name, ns, fieldManager: ResourceNames.Manager, cancellationToken: token);
        }
    }

    public async ValueTask<WriteOutcome> WriteStatusAsync(ConnectionStatus status, CancellationToken cancellationToken)
    {
        var body = new SshTunnelConnection { Metadata = connection.Metadata, Spec = connection.Spec, Status = status };
        using var writing = connections.BeginWrite(key);
        var (outcome, written) = await StatusWriter.ReplaceAsync(client, apiPipeline, body, ResourceNames.Plural, key.Namespace, key.Name, cancellationToken)
            .ConfigureAwait(false);
        if (written is not null)
        {
            connections.Observe(written, connection.Metadata.ResourceVersion);
            metrics.Writes.WithLabels("status").Inc();
        }

        return outcome;
    }

    public void Emit(PlannedEvent planned) =>
        events.Record(connection, planned.Type == EventType.Warning ? "Warning" : "Normal", planned.Reason, planned.Message);

    public void StartProbe(ProbeRequest request) => probes.Start(key, request);

    /// <summary>One line per Secret write, so source-generated: no template parsing or argument array per call.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} the key Secret")]
    private static partial void LogSecretWritten(ILogger logger, string action);
}
