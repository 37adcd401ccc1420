namespace SshTunnel.Benchmarks.ScaleCurve;

/// <summary>What the scale curve measures at one fleet size.</summary>
/// <param name="Connections">The fleet size N.</param>
/// <param name="EmptyStart">Operator process start to /readyz 200 on an empty cluster, median of 3 (the runtime's part of a restart).</param>
/// <param name="EmptyRssMiB">The operator's RSS 1 s after that start: the fixed cost.</param>
/// <param name="Provision">First create to every connection's keys in status.</param>
/// <param name="ListFloor">A bare client's paged LIST of the same connections and Secrets (median of 3).</param>
/// <param name="Restart">Operator process start to /readyz 200 with the N converged connections.</param>
/// <param name="ReadyToReconciled">/readyz 200 to every connection reconciled once.</param>
/// <param name="SteadyRssMiB">RSS of the restarted operator once idle and trimmed.</param>
/// <param name="PeakRssMiB">VmHWM of the restarted operator: the peak of the restart.</param>
internal sealed record CurvePoint(
    int Connections,
    TimeSpan EmptyStart,
    double EmptyRssMiB,
    TimeSpan Provision,
    TimeSpan ListFloor,
    TimeSpan Restart,
    TimeSpan ReadyToReconciled,
    double SteadyRssMiB,
    double PeakRssMiB)
{
    /// <summary>The largest RSS sampled in each stage of the restart, MiB.</summary>
    public IReadOnlyDictionary<string, double> StagePeaks { get; init; } = new Dictionary<string, double>();

    /// <summary>The steady RSS split into anonymous memory, mapped files and shared memory.</summary>
    public string SteadySplit { get; init; } = "";

    /// <summary>The GC heap at steady state, from the operator's /metrics.</summary>
    public double SteadyHeapMiB { get; init; }

    /// <summary>What the restart adds over an empty start: the LIST into the caches, per object listed (two per connection).</summary>
    public TimeSpan RestartListShare => Restart - EmptyStart;

    public double RestartOverFloor => RestartListShare / ListFloor;

    public double SteadyKibPerConnection => (SteadyRssMiB - EmptyRssMiB) * 1024 / Connections;
}
