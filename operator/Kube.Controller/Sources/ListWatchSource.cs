using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Lists (in pages) and watches one resource type through a single LIST call of
/// KubernetesClient, which serves both: a page with <c>continue</c> and <c>limit</c>, or a watch
/// with <c>watch=true</c>, bookmarks and the resourceVersion to resume from. Every type differs
/// only in that call; see <see cref="ResourceSources"/>. The call must be made through a
/// <see cref="ControllerClient"/>, whose watch response is the server's own stream.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
/// <typeparam name="TList">The list type the LIST call returns.</typeparam>
internal sealed class ListWatchSource<T, TList>(Func<ListRequest, CancellationToken, Task<HttpOperationResponse<TList>>> list)
    : IResourceSource<T>
    where T : class
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

    public async IAsyncEnumerable<WatchedEvent<T>> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Func<ObjectKey, string, bool> isHeld,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await list(
            new ListRequest(@namespace) { Watch = true, ResourceVersion = resourceVersion, TimeoutSeconds = (int)timeout.TotalSeconds },
            cancellationToken).ConfigureAwait(false);
        var stream = await response.Response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var watched in WatchEventReader<T>.ReadAsync(stream, isHeld, onError, cancellationToken).ConfigureAwait(false))
            {
                yield return watched;
            }
        }
    }
}
