using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>
/// The standalone emulator (<c>dotnet Kube.Emulator.dll --crds crds --kubeconfig PATH --control</c>)
/// as a process of its own: what a tool outside it sees, a kubeconfig and the control endpoints
/// over HTTP. Disposing kills it and deletes its folder.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Kubernetes API emulator listening on ";

    /// <summary>A .NET process start on a busy two-core machine.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private readonly RunningProcess process;
    private readonly DirectoryInfo folder;

    private EmulatorProcess(RunningProcess process, DirectoryInfo folder, Uri address, string kubeconfigPath)
    {
        this.process = process;
        this.folder = folder;
        Address = address;
        KubeconfigPath = kubeconfigPath;
        Control = new EmulatorControlClient(address);
    }

    public Uri Address { get; }

    /// <summary>The kubeconfig the emulator wrote (an admin, as kind's).</summary>
    public string KubeconfigPath { get; }

    public EmulatorControlClient Control { get; }

    /// <summary>Everything the emulator printed.</summary>
    public string Output => process.Output;

    /// <summary>
    /// Starts the emulator with the repository's CRDs unless <paramref name="withCrds"/> is false,
    /// and <paramref name="arguments"/> of its own, and waits until it serves.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(bool withCrds = true, params string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("emulator-process-");
        var kubeconfig = Path.Combine(folder.FullName, "kubeconfig");
        List<string> command = [Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--kubeconfig", kubeconfig, "--control", .. arguments];
        if (withCrds)
        {
            command.AddRange(["--crds", RepositoryPaths.Crds]);
        }

        var process = RunningProcess.Start("dotnet", command);
        var lines = await Eventually.Until(
            () => Task.FromResult(process.StandardOutputLines),
            printed => printed.Count >= 3 || process.HasExited,
            "the emulator to say where it listens, where the kubeconfig is and where its control endpoints are",
            StartPatience,
            _ => process.Output).ConfigureAwait(false);
        if (process.HasExited)
        {
            throw new InvalidOperationException("the emulator ended:\n" + process.Output);
        }

        return new EmulatorProcess(process, folder, new Uri(lines[0][ListeningPrefix.Length..]), kubeconfig);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await process.DisposeAsync().ConfigureAwait(false);
        folder.Delete(recursive: true);
    }
}
