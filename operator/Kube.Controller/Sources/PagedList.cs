using System.Net;
using k8s.Autorest;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Reads a LIST in pages (limit and continue), so a large collection never arrives as one
/// huge response body nor is held whole; every page belongs to the snapshot of the first, whose
/// resourceVersion the watch starts from. When the server has compacted that snapshot before
/// the last page (410 Expired on a continue), the list starts over, as client-go's pager does.
/// </summary>
public static class PagedList
{
    public const int PageSize = 500;

    public static async Task<string> ReadAsync<T>(
        Func<string?, CancellationToken, Task<(IList<T> Items, V1ListMeta Metadata)>> readPage,
        Action<ResourcePage<T>> onPage,
        CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        string? continueToken = null;
        while (true)
        {
            IList<T> items;
            V1ListMeta metadata;
            try
            {
                (items, metadata) = await readPage(continueToken, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (continueToken is not null && e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                continueToken = null;
                continue;
            }

            onPage(new ResourcePage<T>(items, First: continueToken is null));
            resourceVersion ??= metadata.ResourceVersion;
            continueToken = string.IsNullOrEmpty(metadata.ContinueProperty) ? null : metadata.ContinueProperty;
            if (continueToken is null)
            {
                return resourceVersion ?? "";
            }
        }
    }
}
