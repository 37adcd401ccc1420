using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>
/// An empty in-process Kube.Emulator (no CRDs: the chart brings its own), a kubeconfig for
/// helm and a client for the assertions. One per test, since the CRD is cluster-scoped.
/// </summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    private readonly KubeEmulator emulator;
    private readonly string folder;
    private readonly string kubeconfig;

    private EmulatedCluster(KubeEmulator emulator, string folder)
    {
        this.emulator = emulator;
        this.folder = folder;
        kubeconfig = emulator.WriteKubeconfig(Path.Combine(folder, "kubeconfig"));
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
    }

    public Kubernetes Client { get; }

    public static async Task<EmulatedCluster> StartAsync(params string[] namespaces)
    {
        var cluster = new EmulatedCluster(
            await KubeEmulator.StartAsync(new EmulatorOptions()),
            Directory.CreateTempSubdirectory("chart-tests-cluster-").FullName);
        foreach (var name in namespaces)
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }

        return cluster;
    }

    /// <summary>Runs helm against this cluster.</summary>
    public Task<ProcessResult> HelmAsync(params string[] arguments) =>
        Helm.RunAsync([.. arguments, "--kubeconfig", kubeconfig]);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
