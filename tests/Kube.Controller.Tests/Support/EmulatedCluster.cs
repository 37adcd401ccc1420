using k8s;
using Kube.Emulator;

namespace Kube.Controller.Tests.Support;

/// <summary>An in-process Kube.Emulator without CRDs, and a KubernetesClient that reaches it over HTTP.</summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    private EmulatedCluster(KubeEmulator emulator)
    {
        Emulator = emulator;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
    }

    public KubeEmulator Emulator { get; }

    public IKubernetes Client { get; }

    public EmulatorControl Control => Emulator.Control;

    public static async Task<EmulatedCluster> StartAsync(TimeSpan? bookmarkInterval = null)
    {
        var options = new EmulatorOptions();
        if (bookmarkInterval is { } interval)
        {
            options.BookmarkInterval = interval;
        }

        return new EmulatedCluster(await KubeEmulator.StartAsync(options));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}
