using k8s;
using Kube.Controller.Api;
using Polly;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// A custom resource's whole status written with a PUT to its <c>/status</c> subresource, the
/// object's resourceVersion as precondition: 409 is a conflict, 404 means the object is gone.
/// </summary>
internal static class StatusWriter
{
    public static async Task<(WriteOutcome Outcome, T? Written)> ReplaceAsync<T>(
        IKubernetes client, ResiliencePipeline apiPipeline, T body, string plural, string ns, string name, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var written = await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(
                        body, ResourceNames.Group, ResourceNames.Version, ns, plural, name, fieldManager: ResourceNames.Manager, cancellationToken: token)
                        .ConfigureAwait(false);
                    return response.Body;
                },
                cancellationToken).ConfigureAwait(false);
            return (WriteOutcome.Written, written);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            return (WriteOutcome.Conflict, null);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return (WriteOutcome.Gone, null);
        }
    }
}
