using System.Globalization;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;
using SshTunnel.Api;

namespace SshTunnel.Benchmarks.Cluster;

/// <summary>The writes a user makes: create connections (validate: false) and bump their rotate annotation.</summary>
internal sealed class ConnectionWriter(IReadOnlyList<IKubernetes> clients, string ns)
{
    private long lastToken = 1_000_000;

    public string Namespace => ns;

    public static string NameOf(int index) => "conn-" + index.ToString("D5", CultureInfo.InvariantCulture);

    public static SshTunnelConnection NewConnection(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ConnectionSpec { Host = "bastion.example.com", Port = 22, User = "materialize", Validate = false },
    };

    public Task<SshTunnelConnection> CreateAsync(int client, string name, CancellationToken cancellationToken) =>
        clients[client % clients.Count].CustomObjects.CreateNamespacedCustomObjectAsync<SshTunnelConnection>(
            NewConnection(ns, name), ResourceNames.Group, ResourceNames.Version, ns, ResourceNames.Plural, cancellationToken: cancellationToken);

    /// <summary>Sets the rotate annotation to a value greater than any before, as <c>kubectl annotate --overwrite ... $(date +%s)</c> does.</summary>
    public async Task BumpAsync(int client, string name, CancellationToken cancellationToken)
    {
        var token = Interlocked.Increment(ref lastToken).ToString(CultureInfo.InvariantCulture);
        var patch = new V1Patch(
            new { metadata = new { annotations = new Dictionary<string, string> { [ResourceNames.RotateKeysAnnotation] = token } } },
            V1Patch.PatchType.MergePatch);
        await clients[client % clients.Count].CustomObjects.PatchNamespacedCustomObjectAsync(
            patch, ResourceNames.Group, ResourceNames.Version, ns, ResourceNames.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> for every index, split over the clients, each client one request at a time.</summary>
    public Task ForEachAsync(int count, Func<int, int, Task> action) =>
        Task.WhenAll(Enumerable.Range(0, clients.Count).Select(client => Task.Run(async () =>
        {
            for (var index = client; index < count; index += clients.Count)
            {
                await action(client, index).ConfigureAwait(false);
            }
        })));
}
