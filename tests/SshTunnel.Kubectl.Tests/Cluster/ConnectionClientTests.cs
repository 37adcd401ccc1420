using k8s;
using k8s.Models;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Cluster;
using SshTunnel.Kubectl.Tests.Testing;

namespace SshTunnel.Kubectl.Tests.Cluster;

public sealed class ConnectionClientTests
{
    [Fact]
    public async Task AnAnnotationWriteOutlivesAnUnrelatedChangeMadeSinceTheRead()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        var read = await cluster.WaitForKeysAsync("warehouse");
        var changed = await LabelAsync(cluster, "warehouse", "team", "data");
        Assert.NotEqual(read.Metadata.ResourceVersion, changed.Metadata.ResourceVersion);
        using var client = new ConnectionClient(cluster.Client, PluginCluster.Namespace);

        var written = await client.SetAnnotationAsync(read, ResourceNames.RevalidateAnnotation, "42", CancellationToken.None);

        Assert.Equal("42", written.Metadata.Annotations[ResourceNames.RevalidateAnnotation]);
        Assert.Equal("data", written.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task AnAnnotationSomeoneElseWroteSinceTheReadIsNeverOverwritten()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        var read = await cluster.WaitForKeysAsync("warehouse");
        await AnnotateAsync(cluster, "warehouse", ResourceNames.RevalidateAnnotation, "7");
        using var client = new ConnectionClient(cluster.Client, PluginCluster.Namespace);

        var refused = await Assert.ThrowsAsync<PluginException>(
            () => client.SetAnnotationAsync(read, ResourceNames.RevalidateAnnotation, "42", CancellationToken.None));

        Assert.Contains($"got {ResourceNames.RevalidateAnnotation}=7 from someone else", refused.Message, StringComparison.Ordinal);
        Assert.Equal("7", (await cluster.GetAsync("warehouse")).Metadata.Annotations[ResourceNames.RevalidateAnnotation]);
    }

    private static Task<SshTunnelConnection> LabelAsync(PluginCluster cluster, string name, string key, string value) =>
        PatchMetadataAsync(cluster, name, new { labels = new Dictionary<string, string> { [key] = value } });

    private static Task<SshTunnelConnection> AnnotateAsync(PluginCluster cluster, string name, string key, string value) =>
        PatchMetadataAsync(cluster, name, new { annotations = new Dictionary<string, string> { [key] = value } });

    private static Task<SshTunnelConnection> PatchMetadataAsync(PluginCluster cluster, string name, object metadata) =>
        cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync<SshTunnelConnection>(
            new V1Patch(new { metadata }, V1Patch.PatchType.MergePatch),
            ResourceNames.Group,
            ResourceNames.Version,
            PluginCluster.Namespace,
            ResourceNames.Plural,
            name);
}
