using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// The two API calls an informer needs for one resource type. A null namespace
/// means all namespaces.
/// </summary>
public interface IResourceSource<T>
    where T : class
{
    /// <summary>
    /// Lists every object in scope page by page, handing each page to <paramref name="onPage"/> as
    /// soon as it is read, so no more than one page of full objects is held at a time. Returns the
    /// resourceVersion of the snapshot all pages belong to, which a watch starts from.
    /// </summary>
    Task<string> ListAsync(string? @namespace, Action<ResourcePage<T>> onPage, CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks. An ADDED or MODIFIED event
    /// of a version <paramref name="isHeld"/> says the watcher already holds comes without its
    /// object, which is then not decoded; other objects come without <c>metadata.managedFields</c>.
    /// ERROR events (such as 410 Expired) are passed to
    /// <paramref name="onError"/> as <see cref="KubernetesException"/>.
    /// </summary>
    IAsyncEnumerable<WatchedEvent<T>> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Func<ObjectKey, string, bool> isHeld,
        Action<Exception> onError,
        CancellationToken cancellationToken);
}
