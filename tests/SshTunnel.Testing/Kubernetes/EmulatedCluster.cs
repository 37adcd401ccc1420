using k8s;
using k8s.Models;
using Kube.Controller.Sources;
using Kube.Emulator;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>
/// An in-process Kube.Emulator, with the repository's CRDs or empty (when helm or kubectl bring
/// them), a kubeconfig in a folder of its own for kubectl, helm and the operator process, and a
/// client that reaches it over HTTP. One per test when the test touches cluster-scoped objects.
/// </summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    private readonly DirectoryInfo folder;

    private EmulatedCluster(KubeEmulator emulator, DirectoryInfo folder)
    {
        Emulator = emulator;
        this.folder = folder;
        KubeconfigPath = emulator.WriteKubeconfig(Path.Combine(folder.FullName, "kubeconfig"));
        Client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
        ControllerClient = new ControllerClient(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
        Kubectl = new Kubectl(KubeconfigPath);
    }

    public KubeEmulator Emulator { get; }

    public k8s.Kubernetes Client { get; }

    /// <summary>A client as the operator makes one (watch streams left raw, objects read without managedFields), for the operator and its caches.</summary>
    public ControllerClient ControllerClient { get; }

    /// <summary>The emulator's request log and fault controls.</summary>
    public EmulatorControl Control => Emulator.Control;

    public string KubeconfigPath { get; }

    /// <summary>The real kubectl against this cluster, run from the repository's root.</summary>
    public Kubectl Kubectl { get; }

    /// <summary>A folder that lives as long as the cluster, for the test's files.</summary>
    public string Folder => folder.FullName;

    /// <summary>
    /// Starts an emulator, with the CRDs of the repository's crds/ folder unless <paramref name="withCrds"/> is false, and creates <paramref name="namespaces"/>;
    /// <paramref name="ownerReferencesPermissionEnforcement"/> turns on that admission plugin (as OpenShift runs it).
    /// </summary>
    public static async Task<EmulatedCluster> StartAsync(
        bool withCrds = true, TimeSpan? bookmarkInterval = null, IEnumerable<string>? namespaces = null, bool ownerReferencesPermissionEnforcement = false)
    {
        var options = new EmulatorOptions
        {
            CrdDirectory = withCrds ? RepositoryPaths.Crds : null,
            OwnerReferencesPermissionEnforcement = ownerReferencesPermissionEnforcement,
        };
        if (bookmarkInterval is { } interval)
        {
            options.BookmarkInterval = interval;
        }

        var cluster = new EmulatedCluster(await KubeEmulator.StartAsync(options), Directory.CreateTempSubdirectory("emulated-cluster-"));
        foreach (var name in namespaces ?? [])
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }

        return cluster;
    }

    /// <summary>Runs helm against this cluster.</summary>
    public Task<ProcessResult> HelmAsync(params string[] arguments) => Helm.RunAgainstAsync(KubeconfigPath, arguments);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        ControllerClient.Dispose();
        await Emulator.DisposeAsync();
        folder.Delete(recursive: true);
    }
}
