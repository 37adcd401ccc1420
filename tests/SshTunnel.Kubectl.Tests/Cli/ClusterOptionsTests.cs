using SshTunnel.Kubectl.Tests.Testing;

namespace SshTunnel.Kubectl.Tests.Cli;

/// <summary><c>--namespace/-n</c>, <c>--context</c>, <c>--kubeconfig</c> and KUBECONFIG, as kubectl users expect them.</summary>
public sealed class ClusterOptionsTests
{
    [Theory]
    [InlineData("-n")]
    [InlineData("--namespace")]
    public async Task TheNamespaceFlagSelectsTheConnection(string flag)
    {
        await using var cluster = await PluginCluster.StartAsync("team");
        await cluster.CreateAsync("warehouse", namespaceName: "team");
        var status = (await cluster.WaitForKeysAsync("warehouse", "team")).Status!;

        var output = (await cluster.SshTunnelAsync("authorized-keys", flag, "team", "warehouse")).Succeeded().Output;

        Assert.Equal($"{status.PublicKey1}\n{status.PublicKey2}\n", output);
        Assert.Contains("not found in namespace default", (await cluster.SshTunnelAsync("status", "warehouse")).Failed().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKubeconfigFlagWinsOverKubeconfigAndTheContextFlagSelectsAContext()
    {
        await using var cluster = await PluginCluster.StartAsync("team");
        await cluster.CreateAsync("warehouse", namespaceName: "team");
        await cluster.WaitForKeysAsync("warehouse", "team");
        var kubeconfig = cluster.Cluster.KubeconfigPath;
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = Path.Combine(cluster.Cluster.Folder, "missing") };
        var kubectl = cluster.Cluster.Kubectl;
        var server = await kubectl.RunAsync("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
        await kubectl.RunAsync("config", "set-cluster", "elsewhere", "--server", server);
        await kubectl.RunAsync("config", "set-context", "team-context", "--cluster", "elsewhere", "--namespace", "team", "--user", "elsewhere");
        await kubectl.RunAsync("config", "set-credentials", "elsewhere", "--token", "unused");

        (await cluster.KubectlAsync(environment, "sshtunnel", "status", "warehouse", "--kubeconfig", kubeconfig, "--context", "team-context")).Succeeded();
        Assert.Contains(
            "not found in namespace default",
            (await cluster.KubectlAsync(environment, "sshtunnel", "status", "warehouse", "--kubeconfig", kubeconfig)).Failed().Error,
            StringComparison.Ordinal);
        Assert.Contains(
            "none of the files in KUBECONFIG",
            (await cluster.KubectlAsync(environment, "sshtunnel", "status", "warehouse")).Failed().Error,
            StringComparison.Ordinal);
        Assert.Contains(
            "context \"nowhere\"",
            (await cluster.KubectlAsync(environment, "sshtunnel", "status", "warehouse", "--kubeconfig", kubeconfig, "--context", "nowhere")).Failed().Error,
            StringComparison.OrdinalIgnoreCase);
    }
}
