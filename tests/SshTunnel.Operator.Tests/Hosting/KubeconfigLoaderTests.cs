using k8s;
using k8s.Exceptions;
using SshTunnel.Operator.Hosting;
using SshTunnel.Testing.Kubernetes;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The fast kubeconfig reader against the kubeconfig the emulator writes for kubectl.</summary>
public sealed class KubeconfigLoaderTests
{
    [Fact]
    public async Task A_client_built_from_the_kubeconfig_reaches_the_cluster()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false);
        var folder = Directory.CreateTempSubdirectory("kubeconfig-");
        try
        {
            var path = cluster.Emulator.WriteKubeconfig(Path.Combine(folder.FullName, "config"));

            var configuration = KubeconfigLoader.Load(path);
            using var client = new Kubernetes(configuration);
            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.Equal(cluster.Emulator.BaseAddress.ToString().TrimEnd('/'), configuration.Host.TrimEnd('/'));
            Assert.Contains(namespaces.Items, item => item.Metadata.Name == "default");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_says_where_it_looked()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load("/nonexistent/kubeconfig"));
        Assert.Contains("/nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
    }
}
