using k8s;
using Kube.Emulator;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Operator.Tests.Testing;

/// <summary>An in-process Kube.Emulator with the repository's CRDs, and a KubernetesClient that reaches it over HTTP.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(KubeEmulator emulator)
    {
        Emulator = emulator;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
    }

    public KubeEmulator Emulator { get; }

    public IKubernetes Client { get; }

    public EmulatorControl Control => Emulator.Control;

    public static string CrdDirectory => RepositoryPaths.Crds;

    public static async Task<TestCluster> StartAsync(bool withCrds = true, TimeSpan? bookmarkInterval = null)
    {
        var options = new EmulatorOptions { CrdDirectory = withCrds ? CrdDirectory : null };
        if (bookmarkInterval is { } interval)
        {
            options.BookmarkInterval = interval;
        }

        return new TestCluster(await KubeEmulator.StartAsync(options));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}
