using System.Globalization;
using SshTunnel.Benchmarks.OperatorHost;
using SshTunnel.Benchmarks.Reporting;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>
/// The forwarder against OpenSSH's <c>ssh -N -L</c> through the same loopback sshd, the same key
/// and the same cipher, in one run: both tunnels stay up for the whole run and take turns (the
/// order alternates per run), so the shared machine's noise falls on both. Ratios are taken per
/// run and their median reported with the spread.
/// </summary>
internal sealed class ForwarderBenchmark(BenchmarkOptions options, BenchmarkReport report)
{
    private const int Streams = 16;
    private const double MiB = 1024 * 1024;
    private const double GiB = 1024 * MiB;
    private static readonly TimeSpan RssSampleInterval = TimeSpan.FromMilliseconds(20);

    private int PingsPerRun => options.Quick ? 20 : 100;

    private long SingleStreamBytes => (options.Quick ? 64 : 512) * (long)MiB;

    private long BytesPerStream => (options.Quick ? 4 : 32) * (long)MiB;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var server = TrafficServer.Start();
        await using var bastion = await BastionSetup.StartAsync().ConfigureAwait(false);
        await using var forwarder = await Tunnel.StartForwarderAsync(bastion, options.ForwarderAssembly, options.Cipher, options.ForwarderEnvironment, server.Port, cancellationToken).ConfigureAwait(false);
        await using var openSsh = await Tunnel.StartOpenSshAsync(bastion, options.Cipher, server.Port, cancellationToken).ConfigureAwait(false);
        // One sshd session per tunnel, in the order the tunnels logged in.
        var sessions = ProcessTree.LeavesByAge(bastion.SshdProcessId);
        if (sessions.Count != 2)
        {
            throw new InvalidOperationException($"expected one sshd session per tunnel, found {sessions.Count}");
        }

        var sshdSessionOf = new Dictionary<Tunnel, int> { [forwarder] = sessions[0], [openSsh] = sessions[1] };
        var idleRss = ProcessMemory.Read(forwarder.ProcessId);
        report.Info("Forwarder RSS idle, one session up", Mib(idleRss.RssMiB) + $" ({idleRss.Split})");

        foreach (var tunnel in new[] { forwarder, openSsh })
        {
            // Warm-up: the forwarder's JIT and both sessions' windows, outside the figures.
            for (var i = 0; i < 20; i++)
            {
                await TrafficClient.SetupLatencyAsync(tunnel.Port, cancellationToken).ConfigureAwait(false);
            }

            await TrafficClient.DownloadAsync(tunnel.Port, Streams, BytesPerStream / 4, cancellationToken).ConfigureAwait(false);
        }

        var forwarderRuns = new List<TunnelRun>();
        var openSshRuns = new List<TunnelRun>();
        for (var run = 0; run < options.Runs; run++)
        {
            var forwarderFirst = run % 2 == 0;
            foreach (var tunnel in forwarderFirst ? new[] { forwarder, openSsh } : [openSsh, forwarder])
            {
                var figures = await MeasureAsync(tunnel, bastion, sshdSessionOf[tunnel], cancellationToken).ConfigureAwait(false);
                (tunnel == forwarder ? forwarderRuns : openSshRuns).Add(figures);
                Console.WriteLine(FormattableString.Invariant(
                    $"  run {run + 1} {tunnel.Name}: setup p50 {figures.SetupP50Ms:0.00} ms p99 {figures.SetupP99Ms:0.00} ms, 1 stream {figures.SingleStreamMiBps:0} MiB/s (sshd RSS {figures.SshdSingleStreamRssMiB:0} MiB), {Streams} streams {figures.MultiStreamMiBps:0} MiB/s, RSS {figures.PeakRssMiB:0.0} MiB, CPU/GiB tunnel {figures.TunnelCpuPerGiB:0.00} s sshd {figures.SshdCpuPerGiB:0.00} s"));
            }
        }

        Report(forwarderRuns, openSshRuns, ProcessMemory.Read(forwarder.ProcessId));
    }

    private static string Mib(double value) => FormattableString.Invariant($"{value:0.0} MiB");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Spread(IReadOnlyCollection<double> values, string format) =>
        string.Format(CultureInfo.InvariantCulture, "{0:" + format + "} ({1:" + format + "}-{2:" + format + "})", Median(values), values.Min(), values.Max());

    private async Task<TunnelRun> MeasureAsync(Tunnel tunnel, BastionSetup bastion, int sshdSession, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(PingsPerRun);
        for (var i = 0; i < PingsPerRun; i++)
        {
            latencies.Add((await TrafficClient.SetupLatencyAsync(tunnel.Port, cancellationToken).ConfigureAwait(false)).TotalMilliseconds);
        }

        var setup = LatencySummary.Of([.. latencies.Select(TimeSpan.FromMilliseconds)], 0);
        var tunnelCpu = CpuSample.ProcessCpu(tunnel.ProcessId);
        var sshdCpu = ProcessTree.DescendantsCpu(bastion.SshdProcessId);
        using var sshdSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sshdRss = SamplePeakAsync(() => ProcessMemory.Read(sshdSession).RssMiB, sshdSampling.Token);
        var single = await TrafficClient.DownloadAsync(tunnel.Port, 1, SingleStreamBytes, cancellationToken).ConfigureAwait(false);
        await sshdSampling.CancelAsync().ConfigureAwait(false);

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var peakRss = SamplePeakAsync(() => ProcessMemory.Read(tunnel.ProcessId).RssMiB, sampling.Token);
        var multi = await TrafficClient.DownloadAsync(tunnel.Port, Streams, BytesPerStream, cancellationToken).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);

        var movedGiB = (SingleStreamBytes + (Streams * BytesPerStream)) / GiB;
        return new TunnelRun(
            setup.P50Ms,
            setup.P99Ms,
            SingleStreamBytes / MiB / single.TotalSeconds,
            Streams * BytesPerStream / MiB / multi.TotalSeconds,
            await peakRss.ConfigureAwait(false),
            (CpuSample.ProcessCpu(tunnel.ProcessId) - tunnelCpu).TotalSeconds / movedGiB,
            (ProcessTree.DescendantsCpu(bastion.SshdProcessId) - sshdCpu).TotalSeconds / movedGiB,
            await sshdRss.ConfigureAwait(false));
    }

    private static async Task<double> SamplePeakAsync(Func<double> sample, CancellationToken cancellationToken)
    {
        double peak = 0;
        try
        {
            while (true)
            {
                peak = Math.Max(peak, sample());
                await Task.Delay(RssSampleInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return Math.Max(peak, sample());
        }
    }

    private void Report(List<TunnelRun> forwarder, List<TunnelRun> openSsh, ProcessMemory finalMemory)
    {
        Compare("Connection setup p50, ms (connect + first byte round trip)", forwarder, openSsh, run => run.SetupP50Ms, "0.00", "-", null);
        Compare("Connection setup p99, ms", forwarder, openSsh, run => run.SetupP99Ms, "0.00", "<= 1.5x OpenSSH", ratio => ratio <= 1.5);
        Compare($"{Streams} concurrent streams, MiB/s", forwarder, openSsh, run => run.MultiStreamMiBps, "0", ">= 0.9x OpenSSH", ratio => ratio >= 0.9);
        var collapsed = forwarder.Zip(openSsh).Count(pair => pair.First.SingleStreamMiBps < 0.5 * pair.Second.SingleStreamMiBps);
        Compare("Single stream, MiB/s", forwarder, openSsh, run => run.SingleStreamMiBps, "0", ">= 0.8x OpenSSH, no collapsed run", ratio => ratio >= 0.8 && collapsed == 0);
        report.Info(
            "Single stream, every run (forwarder / OpenSSH, MiB/s)",
            string.Join(", ", forwarder.Zip(openSsh).Select(pair => FormattableString.Invariant($"{pair.First.SingleStreamMiBps:0}/{pair.Second.SingleStreamMiBps:0}")))
            + $"; {collapsed} collapsed (< 0.5x OpenSSH in the same run)");
        var rss = forwarder.Select(run => run.PeakRssMiB).ToArray();
        report.Add(
            $"Forwarder RSS under the {Streams}-stream load, MiB (peak sampled every {RssSampleInterval.TotalMilliseconds:0} ms)",
            $"{Spread(rss, "0.0")}; VmHWM at the end {finalMemory.PeakRssMiB:0.0}; OpenSSH's ssh {Spread([.. openSsh.Select(run => run.PeakRssMiB)], "0.0")}",
            "<= 64 MiB",
            Median(rss) <= 64 && finalMemory.PeakRssMiB <= 64);
        Compare("The tunnel's sshd session process during the single stream, peak RSS MiB (what sshd buffers for it)", forwarder, openSsh, run => run.SshdSingleStreamRssMiB, "0.0", "-", null);
        Compare("Tunnel process CPU-s per GiB (both throughput phases)", forwarder, openSsh, run => run.TunnelCpuPerGiB, "0.00", "-", null);
        Compare("Bastion sshd CPU-s per GiB", forwarder, openSsh, run => run.SshdCpuPerGiB, "0.00", "-", null);
        report.Note($"{options.Runs} runs, each: {PingsPerRun} sequential new connections, one {SingleStreamBytes / MiB:0} MiB download, {Streams} x {BytesPerStream / MiB:0} MiB downloads at once; figures are the median (min-max) over runs, ratios are forwarder/OpenSSH per run.");
        report.Note($"Cipher asked of both: {options.Cipher} (ssh -c, forwarder --cipher); same Ed25519 key, same sshd.");
        if (options.ForwarderEnvironment.Count > 0)
        {
            report.Note("Forwarder environment: " + string.Join(" ", options.ForwarderEnvironment.Select(pair => $"{pair.Key}={pair.Value}")));
        }
    }

    private void Compare(string figure, List<TunnelRun> forwarder, List<TunnelRun> openSsh, Func<TunnelRun, double> value, string format, string goal, Func<double, bool>? met)
    {
        var ratios = forwarder.Zip(openSsh).Select(pair => value(pair.First) / value(pair.Second)).ToArray();
        report.Add(
            figure,
            $"forwarder {Spread([.. forwarder.Select(value)], format)}; OpenSSH {Spread([.. openSsh.Select(value)], format)}; ratio {Spread(ratios, "0.00")}",
            goal,
            met?.Invoke(Median(ratios)));
    }
}
