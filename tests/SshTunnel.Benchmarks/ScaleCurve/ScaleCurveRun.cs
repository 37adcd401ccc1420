using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Benchmarks.Cluster;
using SshTunnel.Benchmarks.OperatorHost;
using SshTunnel.Benchmarks.Reporting;

namespace SshTunnel.Benchmarks.ScaleCurve;

/// <summary>
/// <c>--scale-curve</c>: how time and memory grow with the fleet. For each N, on a fresh API
/// server: an operator starts on the empty cluster (the fixed cost), provisions N connections
/// and is killed; a bare client's paged LIST of the same objects is the floor; a second operator
/// restarts on the N converged connections: start to ready, ready to every connection reconciled,
/// steady RSS once idle and the restart's peak (VmHWM).
/// </summary>
internal sealed class ScaleCurveRun(BenchmarkOptions options, BenchmarkReport report)
{
    private const string BenchNamespace = "bench";
    private const int FloorSamples = 3;

    /// <summary>The empty start is the median of this many starts: one start on a loaded machine says little.</summary>
    private const int EmptyStartSamples = 3;
    private const string ListingStage = "start and LIST";
    private const string ReconcilingStage = "reconciling";
    private const string SettlingStage = "idle";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Longer than two trim periods of the operator's idle memory trimmer, so the steady figure is after its trim.</summary>
    private static readonly TimeSpan TrimSettle = TimeSpan.FromSeconds(3);

    private string LogDirectory => Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var points = new List<CurvePoint>();
        foreach (var connections in options.CurveSizes)
        {
            var point = await MeasureAsync(connections, cancellationToken).ConfigureAwait(false);
            points.Add(point);
            Report(point);
        }

        Summarize(points);
    }

    private static string Mib(double value) => FormattableString.Invariant($"{value:0.0} MiB");

    private static string Ms(TimeSpan value) => FormattableString.Invariant($"{value.TotalMilliseconds:0} ms");

    private static string PerObject(TimeSpan value, int objects) => FormattableString.Invariant($"{value.TotalMicroseconds / objects:0.0} µs per object");

    private async Task<CurvePoint> MeasureAsync(int connections, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Scale curve: N = {connections:N0}");
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { CrdDirectory = options.CrdDirectory }, cancellationToken).ConfigureAwait(false);
        var kubeconfig = emulator.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"sshtunnel-curve-{Environment.ProcessId}-{connections}", "kubeconfig"));
        Kubernetes NewClient() => new(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
        var admin = NewClient();
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = BenchNamespace } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var writer = new ConnectionWriter([.. Enumerable.Range(0, options.Clients).Select(_ => (IKubernetes)NewClient())], BenchNamespace);
        await using var watcher = await StatusWatcher.StartAsync(NewClient(), BenchNamespace, cancellationToken).ConfigureAwait(false);
        var names = Enumerable.Range(0, connections).Select(ConnectionWriter.NameOf).ToArray();

        var emptyStarts = new List<TimeSpan>();
        for (var sample = 1; sample < EmptyStartSamples; sample++)
        {
            await using var started = Start(kubeconfig, $"curve-{connections}-operator-1.log");
            emptyStarts.Add((await started.WaitReadyAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false)).Ready);
        }

        TimeSpan provision;
        double emptyRss;
        await using (var first = Start(kubeconfig, $"curve-{connections}-operator-1.log"))
        {
            emptyStarts.Add((await first.WaitReadyAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false)).Ready);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            emptyRss = first.Memory().RssMiB;
            Console.WriteLine($"  provisioning {connections:N0}");
            var reached = names.Select(name => watcher.WhenAsync(name, keys => keys.Complete)).ToArray();
            var started = Stopwatch.GetTimestamp();
            await writer.ForEachAsync(connections, (client, index) => writer.CreateAsync(client, names[index], cancellationToken)).ConfigureAwait(false);
            var stamps = await Task.WhenAll(reached).WaitAsync(options.PhaseTimeout, cancellationToken).ConfigureAwait(false);
            provision = Stopwatch.GetElapsedTime(started, stamps.Max());
        }

        Console.WriteLine("  the floor: a bare client's paged LIST");
        var floors = new List<TimeSpan>();
        for (var sample = 0; sample < FloorSamples; sample++)
        {
            var (elapsed, objects) = await ListFloor.MeasureAsync(NewClient(), cancellationToken).ConfigureAwait(false);
            if (objects != 2 * connections)
            {
                throw new InvalidOperationException($"the floor's LIST read {objects} objects, expected {2 * connections}");
            }

            floors.Add(elapsed);
        }

        Console.WriteLine("  restarting the operator on the converged connections");
        await using var second = Start(kubeconfig, $"curve-{connections}-operator-2.log");
        await using var sampler = new PeakSampler(second.Id, ListingStage);
        var restart = (await second.WaitReadyAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false)).Ready;
        sampler.Stage = ReconcilingStage;
        var readyAt = Stopwatch.GetTimestamp();
        var deadline = readyAt + (long)(options.PhaseTimeout.TotalSeconds * Stopwatch.Frequency);
        while ((await second.MetricsAsync(cancellationToken).ConfigureAwait(false)).Sum("controller_runtime_reconcile_total") < connections)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the restarted operator did not reconcile {connections:N0} connections within {options.PhaseTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        var reconciled = Stopwatch.GetElapsedTime(readyAt);
        sampler.Stage = SettlingStage;
        await second.WaitIdleAsync(options.PhaseTimeout).ConfigureAwait(false);
        await Task.Delay(TrimSettle, cancellationToken).ConfigureAwait(false);
        var steady = second.Memory();
        var emptyStart = emptyStarts.Order().ElementAt(EmptyStartSamples / 2);
        return new CurvePoint(connections, emptyStart, emptyRss, provision, floors.Order().ElementAt(FloorSamples / 2), restart, reconciled, steady.RssMiB, steady.PeakRssMiB)
        {
            StagePeaks = sampler.Peaks,
            SteadySplit = steady.Split,
            SteadyHeapMiB = (await second.MetricsAsync(cancellationToken).ConfigureAwait(false)).Sum("dotnet_total_memory_bytes") / 1048576,
        };
    }

    private MeasuredOperator Start(string kubeconfig, string logName) =>
        MeasuredOperator.Start(options.OperatorAssembly, kubeconfig, options.Workers, options.OperatorEnvironment, Path.Combine(LogDirectory, logName));

    private void Report(CurvePoint point)
    {
        var n = point.Connections;
        var prefix = FormattableString.Invariant($"N = {n:N0}: ");
        report.Info(prefix + "provision, first create to all keys in status", FormattableString.Invariant(
            $"{point.Provision.TotalSeconds:0.00} s ({point.Provision.TotalMicroseconds / n:0} µs per connection)"));
        report.Info(prefix + "floor: a bare client's paged LIST of the connections and Secrets (median of 3)",
            $"{Ms(point.ListFloor)} ({PerObject(point.ListFloor, 2 * n)})");
        report.Info(prefix + "restart: process start to ready (median of 3 starts on the empty cluster in the same run)",
            $"{Ms(point.Restart)} ({Ms(point.EmptyStart)}); the LIST's share {Ms(point.RestartListShare)} ({PerObject(point.RestartListShare, 2 * n)})");
        report.Add(prefix + "restart's LIST share / floor", point.RestartOverFloor.ToString("0.00x", CultureInfo.InvariantCulture), "about 2x", point.RestartOverFloor is > 0 and <= 2.2);
        report.Info(prefix + "restart: ready to every connection reconciled once", FormattableString.Invariant(
            $"{point.ReadyToReconciled.TotalSeconds:0.00} s ({point.ReadyToReconciled.TotalMicroseconds / n:0} µs per connection)"));
        report.Info(prefix + "operator RSS: empty / steady after the restart / restart's peak (VmHWM)", FormattableString.Invariant(
            $"{point.EmptyRssMiB:0.0} / {point.SteadyRssMiB:0.0} / {point.PeakRssMiB:0.0} MiB; {point.SteadyKibPerConnection:0.00} KiB per connection at steady state; peak - steady {point.PeakRssMiB - point.SteadyRssMiB:0.0} MiB; steady: {point.SteadySplit}, GC heap {point.SteadyHeapMiB:0.0} MiB"));
        report.Info(prefix + "restart: largest RSS sampled every 20 ms in each stage", string.Join(", ", point.StagePeaks.Select(stage => $"{stage.Key} {Mib(stage.Value)}")));
        report.Add(prefix + "restart's peak over steady", Mib(point.PeakRssMiB - point.SteadyRssMiB), "<= 64 MiB", point.PeakRssMiB - point.SteadyRssMiB <= 64);
    }

    /// <summary>Whether each figure per connection stays flat from the smallest N to the largest.</summary>
    private void Summarize(List<CurvePoint> points)
    {
        if (points.Count < 2)
        {
            return;
        }

        var (small, large) = (points[0], points[^1]);
        string Growth(Func<CurvePoint, double> perConnection) =>
            (perConnection(large) / perConnection(small)).ToString("0.00x", CultureInfo.InvariantCulture);
        report.Info(FormattableString.Invariant($"Per-connection cost at N = {large.Connections:N0} over N = {small.Connections:N0} (1.00x is flat)"),
            $"provision {Growth(p => p.Provision.TotalMicroseconds / p.Connections)}, restart's LIST share {Growth(p => p.RestartListShare.TotalMicroseconds / p.Connections)}, floor LIST {Growth(p => p.ListFloor.TotalMicroseconds / p.Connections)}, ready to reconciled {Growth(p => p.ReadyToReconciled.TotalMicroseconds / p.Connections)}, steady RSS over the fixed cost {Growth(p => p.SteadyKibPerConnection)}");
    }
}
