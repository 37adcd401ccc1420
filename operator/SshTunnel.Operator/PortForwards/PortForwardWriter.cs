using k8s;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Api;
using Kube.Controller.Caching;
using Kube.Controller.Events;
using Microsoft.Extensions.Logging;
using Polly;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Reconciliation;

namespace SshTunnel.Operator.PortForwards;

/// <summary>
/// Carries out one <see cref="PortForwardPlan"/>: the Deployment, the Service, the status, then
/// the events, each write through the API pipeline and recorded in its cache. A 409 (another
/// writer, or an object of that name that the cache does not hold) stops the plan so the
/// controller reads the objects again and decides again; the events of a write are recorded
/// once it succeeded, the status events once the status is written.
/// </summary>
internal sealed class PortForwardWriter(
    IKubernetes client,
    SshPortForward forward,
    Informer<SshPortForward> portForwards,
    Informer<V1Deployment> deployments,
    Informer<V1Service> services,
    EventRecorder events,
    ResiliencePipeline apiPipeline,
    OperatorMetrics metrics,
    ILogger logger)
{
    private string Namespace => forward.Metadata.NamespaceProperty ?? "";

    public async Task<WriteOutcome> ExecuteAsync(PortForwardPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Deployment is { } deployment && !await WriteDeploymentAsync(deployment, cancellationToken).ConfigureAwait(false))
        {
            return WriteOutcome.Conflict;
        }

        if (plan.Service is { } service && !await WriteServiceAsync(service, cancellationToken).ConfigureAwait(false))
        {
            return WriteOutcome.Conflict;
        }

        if (plan.Status is { } status)
        {
            var outcome = await WriteStatusAsync(status, cancellationToken).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome;
            }
        }

        foreach (var planned in plan.Events)
        {
            Emit(planned);
        }

        return WriteOutcome.Written;
    }

    private Task<bool> WriteDeploymentAsync(WorkloadWrite write, CancellationToken cancellationToken) =>
        WriteAsync(
            write,
            deployments,
            "deployment",
            (body, token) => write.Kind == WorkloadWriteKind.Create
                ? client.AppsV1.CreateNamespacedDeploymentWithHttpMessagesAsync(body, Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token)
                : client.AppsV1.ReplaceNamespacedDeploymentWithHttpMessagesAsync(body, body.Metadata.Name, Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token),
            cancellationToken);

    private Task<bool> WriteServiceAsync(WorkloadWrite write, CancellationToken cancellationToken) =>
        WriteAsync(
            write,
            services,
            "service",
            (body, token) => write.Kind == WorkloadWriteKind.Create
                ? client.CoreV1.CreateNamespacedServiceWithHttpMessagesAsync(body, Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token)
                : client.CoreV1.ReplaceNamespacedServiceWithHttpMessagesAsync(body, body.Metadata.Name, Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token),
            cancellationToken);

    /// <summary>One create or replace; false on 409 (or a replaced object that is gone).</summary>
    private async Task<bool> WriteAsync<T>(
        WorkloadWrite write,
        Informer<T> cache,
        string kind,
        Func<T, CancellationToken, Task<k8s.Autorest.HttpOperationResponse<T>>> send,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var body = PortForwardMapping.FromJson<T>(write.Body);
        var replaced = write.Kind == WorkloadWriteKind.Update ? body.Metadata.ResourceVersion : null;
        using var writing = cache.BeginWrite(ObjectKey.Of(body));
        try
        {
            var written = await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await send(body, token).ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
            cache.Observe(written, replaced);
            metrics.Writes.WithLabels(kind).Inc();
            logger.LogInformation("{Message}", write.Event.Message);
            Emit(write.Event);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e) || (write.Kind == WorkloadWriteKind.Update && ApiErrors.IsNotFound(e)))
        {
            return false;
        }
    }

    private async Task<WriteOutcome> WriteStatusAsync(PortForwardStatus status, CancellationToken cancellationToken)
    {
        var body = new SshPortForward { Metadata = forward.Metadata, Spec = forward.Spec, Status = status };
        using var writing = portForwards.BeginWrite(ObjectKey.Of(forward));
        var (outcome, written) = await StatusWriter.ReplaceAsync(client, apiPipeline, body, PortForwardNames.Plural, Namespace, forward.Metadata.Name, cancellationToken)
            .ConfigureAwait(false);
        if (written is not null)
        {
            portForwards.Observe(written, forward.Metadata.ResourceVersion);
            metrics.Writes.WithLabels("portforward-status").Inc();
        }

        return outcome;
    }

    private void Emit(PlannedEvent planned) =>
        events.Record(forward, planned.Type == EventType.Warning ? "Warning" : "Normal", planned.Reason, planned.Message);
}
