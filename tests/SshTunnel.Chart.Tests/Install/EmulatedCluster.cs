using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>
/// An in-process Kube.Emulator, empty (the chart brings the CRD) or with the repository's CRDs,
/// a kubeconfig for helm and the operator, and a client for the assertions. One per test,
/// since the CRD is cluster-scoped.
/// </summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    private readonly KubeEmulator emulator;
    private readonly string folder;

    private EmulatedCluster(KubeEmulator emulator, string folder)
    {
        this.emulator = emulator;
        this.folder = folder;
        KubeconfigPath = emulator.WriteKubeconfig(Path.Combine(folder, "kubeconfig"));
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
    }

    public Kubernetes Client { get; }

    public string KubeconfigPath { get; }

    /// <summary>The emulator's request log and fault controls.</summary>
    public EmulatorControl Control => emulator.Control;

    /// <summary>An emulator without CRDs, with <paramref name="namespaces"/> created.</summary>
    public static Task<EmulatedCluster> StartAsync(params string[] namespaces) =>
        StartAsync(new EmulatorOptions(), namespaces);

    /// <summary>An emulator serving the CRDs in the repository's crds/ folder, with <paramref name="namespaces"/> created.</summary>
    public static Task<EmulatedCluster> StartWithCrdsAsync(params string[] namespaces) =>
        StartAsync(new EmulatorOptions { CrdDirectory = Path.GetDirectoryName(RepositoryPaths.CrdFile) }, namespaces);

    private static async Task<EmulatedCluster> StartAsync(EmulatorOptions options, string[] namespaces)
    {
        var cluster = new EmulatedCluster(
            await KubeEmulator.StartAsync(options),
            Directory.CreateTempSubdirectory("chart-tests-cluster-").FullName);
        foreach (var name in namespaces)
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }

        return cluster;
    }

    /// <summary>Runs helm against this cluster.</summary>
    public Task<ProcessResult> HelmAsync(params string[] arguments) =>
        Helm.RunAsync([.. arguments, "--kubeconfig", KubeconfigPath]);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
