using k8s;
using Kube.Emulator;

namespace SshTunnel.Dev;

/// <summary>
/// The dev host's cluster: the embedded Kube.Emulator on 127.0.0.1 with every CRD under
/// <c>crds/</c> installed, and a kubeconfig for kubectl.
/// </summary>
public sealed class DevCluster : IAsyncDisposable
{
    private readonly KubeEmulator emulator;

    private DevCluster(KubeEmulator emulator, string kubeconfigPath)
    {
        this.emulator = emulator;
        KubeconfigPath = kubeconfigPath;
    }

    public string KubeconfigPath { get; }

    /// <summary>The client configuration that reaches the embedded API server.</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = emulator.BaseAddress.ToString() };

    public static async Task<DevCluster> StartAsync(string? kubeconfigPath)
    {
        var root = RepositoryRoot.Find()
            ?? throw new InvalidOperationException(
                $"Dev mode needs the repository checkout (the folder holding {RepositoryRoot.SolutionFile}); run it from inside the checkout");
        var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { CrdDirectory = Path.Combine(root, "crds") }).ConfigureAwait(false);
        var kubeconfig = Path.GetFullPath(kubeconfigPath ?? Path.Combine(root, ".dev", "kubeconfig"));
        Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);
        emulator.WriteKubeconfig(kubeconfig);
        return new DevCluster(emulator, kubeconfig);
    }

    /// <summary>What to type next, printed once the API server is up.</summary>
    public void PrintInstructions(TextWriter output)
    {
        output.WriteLine($"""
            Dev cluster: {emulator.BaseAddress} (in-process Kube.Emulator; state lives in memory until Ctrl-C)

            In another shell, from the repository root:
              export KUBECONFIG={KubeconfigPath}
              kubectl apply -f crds/examples/warehouse-bastion.yaml
              kubectl get stc
              kubectl get stc warehouse-bastion -o yaml
              kubectl annotate stc warehouse-bastion sshtunnels.io/rotate-keys=$(date +%s) --overwrite
              kubectl get secret warehouse-bastion-ssh-keys -o yaml

            """);
        output.Flush();
    }

    public ValueTask DisposeAsync() => emulator.DisposeAsync();
}
