using System.Net;
using k8s.Autorest;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Reads a LIST in pages (limit and continue), so a large collection never arrives as one
/// huge response body nor is held whole; every page belongs to the snapshot of the first, whose
/// resourceVersion the watch starts from. The next page is requested before the current one is
/// handed over, so the server prepares it while the caller converts this one (a restart at
/// 10,000 connections spends most of its time converting). When the server has compacted that
/// snapshot before the last page (410 Expired on a continue), the list starts over, as
/// client-go's pager does.
/// </summary>
public static class PagedList
{
    public const int PageSize = 500;

    public static async Task<string> ReadAsync<T>(
        Func<string?, CancellationToken, Task<(IList<T> Items, V1ListMeta Metadata)>> readPage,
        Action<ResourcePage<T>> onPage,
        CancellationToken cancellationToken)
    {
        // Async, so a reader that throws at once fails the page's task like one that throws later.
        async Task<(IList<T> Items, V1ListMeta Metadata)> FetchAsync(string? continueToken) =>
            await readPage(continueToken, cancellationToken).ConfigureAwait(false);

        string? resourceVersion = null;
        string? requested = null;
        var pending = FetchAsync(requested);
        while (true)
        {
            IList<T> items;
            V1ListMeta metadata;
            try
            {
                (items, metadata) = await pending.ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (requested is not null && e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                requested = null;
                pending = FetchAsync(requested);
                continue;
            }

            var first = requested is null;
            resourceVersion ??= metadata.ResourceVersion;
            requested = string.IsNullOrEmpty(metadata.ContinueProperty) ? null : metadata.ContinueProperty;
            var next = requested is null ? null : FetchAsync(requested);
            try
            {
                onPage(new ResourcePage<T>(items, first));
            }
            catch
            {
                // The caller sees this failure; the page already asked for must not surface later as an unobserved one.
                _ = next?.ContinueWith(static read => read.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            if (next is null)
            {
                return resourceVersion ?? "";
            }

            pending = next;
        }
    }
}
