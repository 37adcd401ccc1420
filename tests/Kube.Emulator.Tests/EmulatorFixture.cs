using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests;

/// <summary>One emulator shared by the tests of a collection, with the test CRDs installed and a kubeconfig written.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private int counter;

    public KubeEmulator Emulator { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = string.Empty;

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("kube-emulator-tests-").FullName;

    /// <summary>CRDs installed at start: the test CRDs unless a test needs others (the project's own, for example).</summary>
    public string CrdDirectory { get; init; } = TestData("crds");

    /// <summary>Short, so that tests of bookmarks are quick; tests of what a real server's rare bookmarks hide set a long one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the control endpoints are served over HTTP (off, as by default, unless a test drives them).</summary>
    public bool ControlOverHttp { get; init; }

    public static string TestData(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", relative);

    public async Task InitializeAsync()
    {
        Emulator = await KubeEmulator.StartAsync(new EmulatorOptions
        {
            CrdDirectory = CrdDirectory,
            BookmarkInterval = BookmarkInterval,
            ControlOverHttp = ControlOverHttp,
        });
        KubeconfigPath = Emulator.WriteKubeconfig(Path.Combine(WorkDirectory, "kube", "config"));
        Client = NewClient();
    }

    public Kubernetes NewClient() => new(new KubernetesClientConfiguration { Host = Emulator.BaseAddress.ToString() });

    /// <summary>A fresh namespace, so that tests sharing the emulator never see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t" + Interlocked.Increment(ref counter) + "-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
