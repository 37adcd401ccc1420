using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks.StartFloor;

/// <summary>
/// Starts the start floor (tests/SshTunnel.StartFloor: runtime, Kestrel, KubernetesClient, the
/// two LISTs of the operator's caches, one /readyz 200) and times it to ready exactly as the
/// operator's start is timed, so the two can be compared in the same run on a noisy machine.
/// </summary>
internal sealed class StartFloorSampler(string assembly, string kubeconfig, Uri server, IReadOnlyDictionary<string, string> environment, string logPath)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One start, process start to /readyz 200; the process is killed after.</summary>
    public async Task<TimeSpan> StartOnceAsync(CancellationToken cancellationToken)
    {
        await using var floor = MeasuredOperator.Start(assembly, kubeconfig, ["--server", server.ToString()], environment, logPath);
        var timing = await floor.WaitReadyAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false);
        return timing.Ready;
    }
}
