using k8s;
using k8s.Models;

namespace SshTunnel.Operator.Controller;

/// <summary>Lists and watches only the Secrets that match one label selector.</summary>
public sealed class SecretSource(IKubernetes client, string labelSelector) : IResourceSource<V1Secret>
{
    public Task<ResourceSnapshot<V1Secret>> ListAsync(string? @namespace, CancellationToken cancellationToken) =>
        PagedList.ReadAllAsync<V1Secret>(
            async (continueToken, token) =>
            {
                using var response = @namespace is null
                    ? await client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(
                        continueParameter: continueToken, labelSelector: labelSelector, limit: PagedList.PageSize, cancellationToken: token).ConfigureAwait(false)
                    : await client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(
                        @namespace, continueParameter: continueToken, labelSelector: labelSelector, limit: PagedList.PageSize, cancellationToken: token).ConfigureAwait(false);
                return (response.Body.Items, response.Body.Metadata);
            },
            cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Action<Exception> onError,
        CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)timeout.TotalSeconds;
        var response = @namespace is null
            ? client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken)
            : client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(
                @namespace, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken);
        // The suggested replacements (WatchList*Async) yield untyped objects for custom resources and
        // do not take the resourceVersion to resume from; this extension is the typed one.
#pragma warning disable CS0618
        return response.WatchAsync<V1Secret, V1SecretList>(onError, cancellationToken);
#pragma warning restore CS0618
    }
}
