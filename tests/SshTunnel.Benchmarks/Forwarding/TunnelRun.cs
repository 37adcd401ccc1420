namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>
/// One tunnel's figures in one run: connection setup percentiles, throughput, the tunnel
/// process's peak RSS under the 16-stream load, and CPU seconds per GiB moved (the tunnel process
/// and the bastion's sshd session processes) over both throughput phases, and the peak RSS of the
/// tunnel's sshd session process during the single stream (what sshd buffers for a client that lags behind).
/// </summary>
internal sealed record TunnelRun(
    double SetupP50Ms, double SetupP99Ms, double SingleStreamMiBps, double MultiStreamMiBps, double PeakRssMiB, double TunnelCpuPerGiB, double SshdCpuPerGiB, double SshdSingleStreamRssMiB);
