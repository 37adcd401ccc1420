using System.Diagnostics;
using k8s;
using Kube.Controller.Sources;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Benchmarks.ScaleCurve;

/// <summary>
/// The floor of a restart's initial LIST: a bare KubernetesClient reading every connection and
/// every key Secret the way the operator's informers do (all namespaces, the Secrets through the
/// operator's label selector, pages of <see cref="PagedList.PageSize"/>, both types at once),
/// keeping nothing but the count.
/// </summary>
internal static class ListFloor
{
    /// <summary>The time one paged LIST of both types takes, and how many objects it read.</summary>
    public static async Task<(TimeSpan Elapsed, int Objects)> MeasureAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(
            CountPagesAsync(async continueToken =>
            {
                var page = await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ResourceList<SshTunnelConnection>>(
                    ResourceNames.Group, ResourceNames.Version, ResourceNames.Plural, continueParameter: continueToken, limit: PagedList.PageSize,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return (page.Items.Count, page.Metadata.ContinueProperty);
            }),
            CountPagesAsync(async continueToken =>
            {
                var page = await client.CoreV1.ListSecretForAllNamespacesAsync(
                    continueParameter: continueToken, labelSelector: KeySecretLayout.ManagedBySelector, limit: PagedList.PageSize,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return (page.Items.Count, page.Metadata.ContinueProperty);
            })).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(started), counts.Sum());
    }

    private static async Task<int> CountPagesAsync(Func<string?, Task<(int Count, string? Continue)>> readPage)
    {
        var objects = 0;
        string? continueToken = null;
        do
        {
            var (count, next) = await readPage(continueToken).ConfigureAwait(false);
            objects += count;
            continueToken = string.IsNullOrEmpty(next) ? null : next;
        }
        while (continueToken is not null);

        return objects;
    }
}
