using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// The two API calls an informer needs for one resource type. A null namespace
/// means all namespaces.
/// </summary>
public interface IResourceSource<T>
{
    Task<ResourceSnapshot<T>> ListAsync(string? @namespace, CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks. ERROR events (such as 410
    /// Expired) are passed to <paramref name="onError"/> as <see cref="KubernetesException"/>.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Action<Exception> onError,
        CancellationToken cancellationToken);
}
