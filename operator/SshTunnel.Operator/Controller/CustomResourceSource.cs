using k8s;

namespace SshTunnel.Operator.Controller;

/// <summary>Lists and watches one kind of custom object through the CustomObjects API.</summary>
public sealed class CustomResourceSource<T>(IKubernetes client, string group, string version, string plural)
    : IResourceSource<T>
{
    public Task<ResourceSnapshot<T>> ListAsync(string? @namespace, CancellationToken cancellationToken) =>
        PagedList.ReadAllAsync<T>(
            async (continueToken, token) =>
            {
                using var response = @namespace is null
                    ? await client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<ResourceList<T>>(
                        group, version, plural, continueParameter: continueToken, limit: PagedList.PageSize, cancellationToken: token).ConfigureAwait(false)
                    : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<T>>(
                        group, version, @namespace, plural, continueParameter: continueToken, limit: PagedList.PageSize, cancellationToken: token).ConfigureAwait(false);
                return (response.Body.Items, response.Body.Metadata);
            },
            cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Action<Exception> onError,
        CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)timeout.TotalSeconds;
        var response = @namespace is null
            ? client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<ResourceList<T>>(
                group, version, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<T>>(
                group, version, @namespace, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken);
        // The suggested replacements (WatchList*Async) yield untyped objects for custom resources and
        // do not take the resourceVersion to resume from; this extension is the typed one.
#pragma warning disable CS0618
        return response.WatchAsync<T, ResourceList<T>>(onError, cancellationToken);
#pragma warning restore CS0618
    }
}
