using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Reads a LIST in pages (limit and continue), so a large collection never arrives as one
/// huge response body; every page belongs to the snapshot of the first, whose
/// resourceVersion the watch starts from.
/// </summary>
public static class PagedList
{
    public const int PageSize = 500;

    public static async Task<ResourceSnapshot<T>> ReadAllAsync<T>(
        Func<string?, CancellationToken, Task<(IList<T> Items, V1ListMeta Metadata)>> readPage,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var (page, metadata) = await readPage(continueToken, cancellationToken).ConfigureAwait(false);
            items.AddRange(page);
            resourceVersion ??= metadata.ResourceVersion;
            continueToken = string.IsNullOrEmpty(metadata.ContinueProperty) ? null : metadata.ContinueProperty;
        }
        while (continueToken is not null);

        return new ResourceSnapshot<T>(items, resourceVersion ?? "");
    }
}
