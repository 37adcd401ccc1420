namespace SshTunnel.Benchmarks.Backlog;

/// <summary>
/// One backlog drained by a freshly started operator: the wall time from its <c>/readyz</c> 200 to
/// the last published status, and the CPU-s the operator and this process (the emulator and the
/// harness's status watch) used over the same span.
/// </summary>
internal sealed record BacklogPhase(TimeSpan Elapsed, double OperatorCpuSeconds, double HarnessCpuSeconds)
{
    public double CpuSeconds => OperatorCpuSeconds + HarnessCpuSeconds;
}
