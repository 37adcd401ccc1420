using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Lists (in pages) and watches one resource type through a single LIST call of
/// KubernetesClient, which serves both: a page with <c>continue</c> and <c>limit</c>, or a watch
/// with <c>watch=true</c>, bookmarks and the resourceVersion to resume from. Every type differs
/// only in that call; see <see cref="ResourceSources"/>.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
/// <typeparam name="TList">The list type the LIST call returns.</typeparam>
public sealed class ListWatchSource<T, TList>(Func<ListRequest, CancellationToken, Task<HttpOperationResponse<TList>>> list)
    : IResourceSource<T>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public Task<string> ListAsync(string? @namespace, Action<ResourcePage<T>> onPage, CancellationToken cancellationToken) =>
        PagedList.ReadAsync<T>(
            async (continueToken, token) =>
            {
                using var response = await list(new ListRequest(@namespace) { Continue = continueToken, Limit = PagedList.PageSize }, token)
                    .ConfigureAwait(false);
                return (response.Body.Items, response.Body.Metadata);
            },
            onPage,
            cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Action<Exception> onError,
        CancellationToken cancellationToken)
    {
        var response = list(
            new ListRequest(@namespace) { Watch = true, ResourceVersion = resourceVersion, TimeoutSeconds = (int)timeout.TotalSeconds },
            cancellationToken);
        // The suggested replacements (WatchList*Async) yield untyped objects for custom resources and
        // do not take the resourceVersion to resume from; this extension is the typed one.
#pragma warning disable CS0618
        return response.WatchAsync<T, TList>(onError, cancellationToken);
#pragma warning restore CS0618
    }
}
