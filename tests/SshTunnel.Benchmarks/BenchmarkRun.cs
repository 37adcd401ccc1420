using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Benchmarks.Backlog;
using SshTunnel.Benchmarks.Cluster;
using SshTunnel.Benchmarks.Floor;
using SshTunnel.Benchmarks.OperatorHost;
using SshTunnel.Benchmarks.Reporting;
using SshTunnel.Benchmarks.StartFloor;
using SshTunnel.Core.Model;
using Kube.Controller.Sources;
using SshTunnel.Api;

namespace SshTunnel.Benchmarks;

/// <summary>
/// One end-to-end run: the emulator in this process, the operator as a separate process, every
/// figure taken from the outside (status through the API, write counters, /proc, /readyz, /metrics),
/// and the floor measured against the same emulator at the end.
/// </summary>
internal sealed class BenchmarkRun(BenchmarkOptions options, BenchmarkReport report)
{
    private const string BenchNamespace = "bench";
    private const string FloorNamespace = "floor";
    private const string BacklogNamespace = "backlog";
    /// <summary>How many connections each round of the warm-up puts through the floor's writes before the operator first starts.</summary>
    private const int WarmUpConnections = 300;

    /// <summary>
    /// Rounds of the warm-up: tiered compilation counts a method's calls only once no new method has been compiled
    /// for a while, then compiles it again instrumented, then optimized; a round for each step.
    /// </summary>
    private const int WarmUpRounds = 3;

    /// <summary>Bookmarks this often, so a re-established watch has delivered an event before the next drop.</summary>
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BumpTimeout = TimeSpan.FromSeconds(30);
    private readonly int count = options.Connections;
    private readonly string[] names = [.. Enumerable.Range(0, options.Connections).Select(ConnectionWriter.NameOf)];
    private KubeEmulator emulator = null!;
    private StatusWatcher watcher = null!;
    private ConnectionWriter writer = null!;
    private string kubeconfig = "";
    private double provisionSeconds = double.NaN;
    private double rotateSeconds = double.NaN;
    private double provisionHarnessCpu = double.NaN;
    private double rotateHarnessCpu = double.NaN;
    private double provisionOperatorCpu = double.NaN;
    private double rotateOperatorCpu = double.NaN;
    private int operatorPid;

    private string LogDirectory => Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var startedEmulator = await KubeEmulator.StartAsync(new EmulatorOptions { CrdDirectory = options.CrdDirectory, BookmarkInterval = BookmarkInterval }, cancellationToken).ConfigureAwait(false);
        emulator = startedEmulator;
        kubeconfig = emulator.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"sshtunnel-bench-{Environment.ProcessId}", "kubeconfig"));
        var clients = Enumerable.Range(0, options.Clients).Select(_ => NewClient()).ToArray();
        foreach (var ns in new[] { BenchNamespace, FloorNamespace })
        {
            await clients[0].CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        writer = new ConnectionWriter(clients, BenchNamespace);
        await using var startedWatcher = await StatusWatcher.StartAsync(NewClient(), BenchNamespace, cancellationToken).ConfigureAwait(false);
        watcher = startedWatcher;

        await WarmUpAsync(clients[0], cancellationToken).ConfigureAwait(false);
        if (options.StartOnly)
        {
            await StartOnlyAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (options.ThroughputOnly)
        {
            await ThroughputOnlyAsync(clients[0], cancellationToken).ConfigureAwait(false);
            return;
        }

        await using (var first = await StartOperatorAsync("operator-1.log", "Start to ready, empty cluster", TimeSpan.FromMilliseconds(300), 5, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var idle = first.Memory();
            report.Info("Operator RSS 1 s after ready on an empty cluster (the fixed cost)", Mib(idle.RssMiB) + $" ({idle.Split})");
            await ProvisionAsync(cancellationToken).ConfigureAwait(false);
            await RotateAllAsync(cancellationToken).ConfigureAwait(false);
            await IdleLatencyAsync(cancellationToken).ConfigureAwait(false);
            await LoadLatencyAsync(cancellationToken).ConfigureAwait(false);
            var memory = first.Memory();
            report.Add($"Operator RSS after provisioning, rotating and bumping {count:N0}", Mib(memory.RssMiB) + $" ({memory.Split})", "<= 150 MiB", memory.RssMiB <= 150);
            report.Add("Operator peak RSS (VmHWM) during that work", Mib(memory.PeakRssMiB), "<= 200 MiB", memory.PeakRssMiB <= 200);
            await ReportMetricsAsync(first, "first process", cancellationToken).ConfigureAwait(false);
        }

        // Between the two operator processes, so that no operator reconciles the floor's objects and
        // the floor runs close in time to the operator's phases on a machine whose load varies; the
        // backlog right after it, against the same floor.
        var floor = await FloorAsync(clients[0], cancellationToken).ConfigureAwait(false);
        await BacklogAsync(clients[0], floor, cancellationToken).ConfigureAwait(false);

        emulator.Control.ResetCounters();
        await using (var second = await StartOperatorAsync("operator-2.log", $"Start to ready with {count:N0} converged connections", TimeSpan.FromMilliseconds(1500), 3, cancellationToken).ConfigureAwait(false))
        {
            await RestartReconcileAsync(second, cancellationToken).ConfigureAwait(false);
            await ConvergedWritesAsync(cancellationToken).ConfigureAwait(false);
            var steady = second.Memory();
            report.Add($"Operator RSS at steady state ({count:N0} converged, restarted process)", Mib(steady.RssMiB) + $" ({steady.Split})", "<= 150 MiB", steady.RssMiB <= 150);
            report.Add("Operator peak RSS (VmHWM) of the restarted process", Mib(steady.PeakRssMiB), "<= 200 MiB", steady.PeakRssMiB <= 200);
            await WatchDropsAsync(second, steady, cancellationToken).ConfigureAwait(false);
            await ReportMetricsAsync(second, "restarted process", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>--start-only</c>: the two start figures and their floors, with provisioning in between to have N connections.</summary>
    private async Task StartOnlyAsync(CancellationToken cancellationToken)
    {
        // More starts than the full run takes, since this mode is where the start's levers are compared.
        await using (var first = await StartOperatorAsync("operator-1.log", "Start to ready, empty cluster", TimeSpan.FromMilliseconds(300), 9, cancellationToken).ConfigureAwait(false))
        {
            await ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var second = await StartOperatorAsync("operator-2.log", $"Start to ready with {count:N0} converged connections", TimeSpan.FromMilliseconds(1500), 5, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>--throughput-only</c>: the full run's operator starts, provisioning and rotation of N, then the floor, so a
    /// lever's effect on throughput is measured in two minutes. The starts stay as many as the full run's: this
    /// process's JIT finishes tiering up the harness's paths meanwhile, as it has when the full run provisions.
    /// </summary>
    private async Task ThroughputOnlyAsync(IKubernetes admin, CancellationToken cancellationToken)
    {
        await using (var first = await StartOperatorAsync("operator-1.log", "Start to ready, empty cluster", TimeSpan.FromMilliseconds(300), 5, cancellationToken).ConfigureAwait(false))
        {
            await ProvisionAsync(cancellationToken).ConfigureAwait(false);
            await RotateAllAsync(cancellationToken).ConfigureAwait(false);
            var memory = first.Memory();
            report.Info("Operator peak RSS (VmHWM) during that work", Mib(memory.PeakRssMiB));
            await ReportMetricsAsync(first, "first process", cancellationToken).ConfigureAwait(false);
        }

        var floor = await FloorAsync(admin, cancellationToken).ConfigureAwait(false);
        await BacklogAsync(admin, floor, cancellationToken).ConfigureAwait(false);
    }

    private static string Mib(double value) => FormattableString.Invariant($"{value:0.0} MiB");

    private static string Seconds(double value) => FormattableString.Invariant($"{value:0.00} s");

    private static double SecondsBetween(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    private Kubernetes NewClient() => new(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });

    /// <summary>The provisioning and rotation goals are rates (10,000 in 10 s); for another N the bound scales with N.</summary>
    private (double Seconds, string Text) ScaledGoal()
    {
        var bound = 10.0 * count / 10_000;
        return count == 10_000 ? (bound, "<= 10 s") : (bound, FormattableString.Invariant($"<= {bound:0.##} s (10 s per 10,000, scaled to N)"));
    }

    /// <summary>
    /// Starts the operator <paramref name="samples"/> times, one after the other, and keeps the last
    /// one running; the figure is the median start, which a loaded machine disturbs less than one start.
    /// </summary>
    private async Task<MeasuredOperator> StartOperatorAsync(string logName, string figure, TimeSpan goal, int samples, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Starting the operator ({logName}, {samples} start(s))");
        var readies = new List<TimeSpan>();
        var logged = new List<long>();
        var floors = new List<TimeSpan>();
        var floor = new StartFloorSampler(options.StartFloorAssembly, kubeconfig, emulator.BaseAddress, new Dictionary<string, string>(), Path.Combine(LogDirectory, "start-floor.log"));
        for (var sample = 1; ; sample++)
        {
            // The floor right before each operator start, so both see the same load on a shared machine.
            floors.Add(await floor.StartOnceAsync(cancellationToken).ConfigureAwait(false));
            var started = MeasuredOperator.Start(options.OperatorAssembly, kubeconfig, options.Workers, options.OperatorEnvironment, Path.Combine(LogDirectory, logName));
            try
            {
                operatorPid = started.Id;
                var timing = await started.WaitReadyAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false);
                readies.Add(timing.Ready);
                if (started.ReportedReadyMs is { } ms)
                {
                    logged.Add(ms);
                }

                if (sample < samples)
                {
                    await started.DisposeAsync().ConfigureAwait(false);
                    continue;
                }

                var median = Median(readies);
                var spread = samples > 1
                    ? FormattableString.Invariant($"median of {samples} starts, {readies.Min().TotalMilliseconds:0}-{readies.Max().TotalMilliseconds:0} ms; ")
                    : "";
                var reported = logged.Count > 0 ? FormattableString.Invariant($"the operator logs ready at {logged.Order().ElementAt(logged.Count / 2)} ms from Main; ") : "";
                report.Add(figure, FormattableString.Invariant(
                        $"{median.TotalMilliseconds:0} ms (process start to /readyz 200; {spread}{reported}last start: port first answered at {timing.FirstAnswer.TotalMilliseconds:0} ms, longest poll gap {timing.LongestPollGap.TotalMilliseconds:0} ms)"),
                    FormattableString.Invariant($"<= {goal.TotalMilliseconds:0} ms"), median <= goal);
                var floorMedian = Median(floors);
                report.Info($"{figure}: start floor (runtime, Kestrel, KubernetesClient, both LISTs, one /readyz 200)", FormattableString.Invariant(
                    $"{floorMedian.TotalMilliseconds:0} ms (median of {samples}, {floors.Min().TotalMilliseconds:0}-{floors.Max().TotalMilliseconds:0} ms; each started right before an operator start)"));
                var ratio = median / floorMedian;
                report.Add($"{figure}: operator / start floor", FormattableString.Invariant($"{ratio:0.00}x (per start: {string.Join(", ", readies.Zip(floors, (ready, bare) => (ready / bare).ToString("0.00", CultureInfo.InvariantCulture)))})"), "<= 1.5x", ratio <= 1.5);
                return started;
            }
            catch
            {
                await started.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"Provisioning {count:N0} connections");
        var reached = names.Select(name => watcher.WhenAsync(name, keys => keys.Complete)).ToArray();
        emulator.Control.ResetCounters();
        var cpu = CpuSample.Take(operatorPid);
        var started = Stopwatch.GetTimestamp();
        await writer.ForEachAsync(count, (client, index) => writer.CreateAsync(client, names[index], cancellationToken)).ConfigureAwait(false);
        var created = Stopwatch.GetTimestamp();
        var stamps = await StatusWatcher.AllAsync(reached, "provisioning", options.PhaseTimeout, cancellationToken).ConfigureAwait(false);
        provisionSeconds = SecondsBetween(started, stamps.Max());
        var goal = ScaledGoal();
        report.Add($"Provision {count:N0}: first create to all keys in status", Seconds(provisionSeconds) + FormattableString.Invariant($" ({count / provisionSeconds:N0}/s)"), goal.Text, provisionSeconds <= goal.Seconds);
        report.Info($"Harness creating the {count:N0} resources ({options.Clients} clients)", Seconds(SecondsBetween(started, created)) + FormattableString.Invariant($" ({count / SecondsBetween(started, created):N0}/s)"));
        report.Info("Provision: last create to all keys in status", Seconds(Math.Max(0, SecondsBetween(created, stamps.Max()))));
        report.Info("Provision: writes the emulator received (harness creates included)", Breakdown(emulator.Control.WriteCounts).Trim(' ', '(', ')'));
        var provisioned = CpuSample.Take(operatorPid);
        provisionHarnessCpu = provisioned.HarnessSecondsSince(cpu);
        provisionOperatorCpu = provisioned.OperatorSecondsSince(cpu);
        report.Info("Provision: CPU", provisioned.Since(cpu));
    }

    private async Task RotateAllAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"Rotating {count:N0} connections");
        var before = names.Select(watcher.Keys).ToArray();
        var reached = names.Select((name, index) => watcher.WhenAsync(name, keys => keys.RotatedFrom(before[index]))).ToArray();
        emulator.Control.ResetCounters();
        var cpu = CpuSample.Take(operatorPid);
        var started = Stopwatch.GetTimestamp();
        await writer.ForEachAsync(count, (client, index) => writer.BumpAsync(client, names[index], cancellationToken)).ConfigureAwait(false);
        var bumped = Stopwatch.GetTimestamp();
        var stamps = await StatusWatcher.AllAsync(reached, "rotation", options.PhaseTimeout, cancellationToken).ConfigureAwait(false);
        rotateSeconds = SecondsBetween(started, stamps.Max());
        var goal = ScaledGoal();
        report.Add($"Rotate {count:N0}: first bump to all rotated keys in status", Seconds(rotateSeconds) + FormattableString.Invariant($" ({count / rotateSeconds:N0}/s)"), goal.Text, rotateSeconds <= goal.Seconds);
        report.Info($"Harness bumping the {count:N0} annotations", Seconds(SecondsBetween(started, bumped)) + FormattableString.Invariant($" ({count / SecondsBetween(started, bumped):N0}/s)"));
        report.Info("Rotate: writes the emulator received (harness bumps included)", Breakdown(emulator.Control.WriteCounts).Trim(' ', '(', ')'));
        var rotated = CpuSample.Take(operatorPid);
        rotateHarnessCpu = rotated.HarnessSecondsSince(cpu);
        rotateOperatorCpu = rotated.OperatorSecondsSince(cpu);
        report.Info("Rotate: CPU", rotated.Since(cpu));
        var wrong = names.Where((name, index) => !watcher.Keys(name).RotatedFrom(before[index])).Count();
        if (wrong > 0)
        {
            report.Note($"{wrong} connections did not show exactly one rotation after the bulk bump");
        }
    }

    /// <summary>Bumps one connection and returns the time from <paramref name="from"/> to its rotated keys in status, or null after <paramref name="timeout"/>.</summary>
    private async Task<TimeSpan?> BumpAndWaitAsync(int client, string name, long? from, TimeSpan timeout, CancellationToken cancellationToken)
    {
        watcher.Forget(name);
        var before = watcher.Keys(name);
        var reached = watcher.WhenAsync(name, keys => keys.RotatedFrom(before));
        var sent = from ?? Stopwatch.GetTimestamp();
        await writer.BumpAsync(client, name, cancellationToken).ConfigureAwait(false);
        try
        {
            var stamp = await reached.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(sent, stamp);
        }
        catch (TimeoutException)
        {
            watcher.Forget(name);
            return null;
        }
    }

    private async Task IdleLatencyAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"Bump-to-status latency, idle ({options.IdleBumps} bumps one at a time)");
        var latencies = new List<TimeSpan>();
        var missed = 0;
        for (var i = 0; i < options.IdleBumps; i++)
        {
            if (await BumpAndWaitAsync(0, names[i], null, BumpTimeout, cancellationToken).ConfigureAwait(false) is { } latency)
            {
                latencies.Add(latency);
            }
            else
            {
                missed++;
            }
        }

        var summary = LatencySummary.Of(latencies, missed);
        report.Add("Bump-to-status latency, idle", summary.ToString(), "p99 <= 50 ms", summary.P99Ms <= 50 && missed == 0);
    }

    private async Task LoadLatencyAsync(CancellationToken cancellationToken)
    {
        var total = (int)(options.BumpsPerSecond * options.LoadDuration.TotalSeconds);
        Console.WriteLine($"Bump-to-status latency under {options.BumpsPerSecond} bumps/s ({total} bumps)");
        var interval = Stopwatch.Frequency / options.BumpsPerSecond;
        var cpu = CpuSample.Take(operatorPid);
        var started = Stopwatch.GetTimestamp();
        var bumps = new List<Task<TimeSpan?>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = started + (i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var name = names[(options.IdleBumps + i) % count];
            bumps.Add(BumpAndWaitAsync(i, name, due, BumpTimeout, cancellationToken));
        }

        var sending = Stopwatch.GetElapsedTime(started);
        var results = await Task.WhenAll(bumps).ConfigureAwait(false);
        var summary = LatencySummary.Of([.. results.OfType<TimeSpan>()], results.Count(result => result is null));
        report.Add($"Bump-to-status latency at {options.BumpsPerSecond} bumps/s for {options.LoadDuration.TotalSeconds:0} s",
            summary.ToString() + FormattableString.Invariant($"; sent at {total / sending.TotalSeconds:0} bumps/s, latency counted from the scheduled time"),
            "p99 <= 100 ms", summary.P99Ms <= 100 && summary.Missed == 0);
        report.Info("Under 100 bumps/s: CPU", CpuSample.Take(operatorPid).Since(cpu));
    }

    private async Task RestartReconcileAsync(MeasuredOperator second, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(options.PhaseTimeout.TotalSeconds * Stopwatch.Frequency);
        double reconciled;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            reconciled = (await second.MetricsAsync(cancellationToken).ConfigureAwait(false)).Sum("controller_runtime_reconcile_total");
        }
        while (reconciled < count && Stopwatch.GetTimestamp() < deadline);

        report.Info("Restarted operator: ready to every connection reconciled once (from /metrics)",
            reconciled >= count ? Seconds(SecondsBetween(started, Stopwatch.GetTimestamp())) : $"only {reconciled:N0} of {count:N0} reconciled");
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        var writes = emulator.Control.WriteCounts;
        var sum = writes.Values.Sum();
        report.Add($"Writes by the restarted operator while re-reconciling {count:N0} converged connections", $"{sum}{Breakdown(writes)}", "0", sum == 0);
    }

    private static string Breakdown(IReadOnlyDictionary<string, long> writes) =>
        writes.Count == 0 ? "" : " (" + string.Join(", ", writes.Select(pair => $"{pair.Key}: {pair.Value}")) + ")";

    private async Task ConvergedWritesAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"Counting writes while converged for {options.ConvergedWindow.TotalSeconds:0} s");
        emulator.Control.ResetCounters();
        var cpu = CpuSample.Take(operatorPid);
        await Task.Delay(options.ConvergedWindow, cancellationToken).ConfigureAwait(false);
        var idle = CpuSample.Take(operatorPid).Since(cpu);
        var writes = emulator.Control.WriteCounts;
        var sum = writes.Values.Sum();
        var window = options.Quick ? $"{options.ConvergedWindow.TotalSeconds:0} s (shortened by --quick from 60 s)" : $"{options.ConvergedWindow.TotalSeconds:0} s";
        report.Add($"Writes while converged, {window}", $"{sum}{Breakdown(writes)}", "0", sum == 0);
        report.Info("Converged window: CPU", idle);
    }

    private int OperatorWatchRequests() =>
        emulator.Control.RecordedRequests.Count(request => request.Verb == "watch" && request.Namespace is null);

    private async Task WatchDropsAsync(MeasuredOperator second, ProcessMemory baseline, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Dropping every watch {options.WatchDrops} times");
        var bumpEvery = Math.Max(1, options.WatchDrops / 20);
        var bumps = new List<Task<TimeSpan?>>();
        var started = Stopwatch.GetTimestamp();
        var bound = options.WatchDropBound;
        var samples = new List<string> { await MemorySampleAsync(second, 0, cancellationToken).ConfigureAwait(false) };
        var deadline = started + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        var drops = 0;
        var slowRewatches = 0;
        var longestRewatch = TimeSpan.Zero;
        emulator.Control.RecordRequests = true;
        try
        {
            for (; drops < options.WatchDrops && Stopwatch.GetTimestamp() < deadline; drops++)
            {
                emulator.Control.ResetCounters();
                var dropped = Stopwatch.GetTimestamp();
                emulator.Control.CloseAllWatches();
                if (drops % bumpEvery == 0)
                {
                    // Generous: a rotation that shows up late is slow, one that never shows up is lost.
                    bumps.Add(BumpAndWaitAsync(drops, names[(drops / bumpEvery) % count], null, options.PhaseTimeout, cancellationToken));
                }

                var closedAgain = dropped;
                while (OperatorWatchRequests() < 2 && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                    if (Stopwatch.GetElapsedTime(closedAgain) > TimeSpan.FromSeconds(1))
                    {
                        // A watch registered after the close would stay open: close again rather than wait for nothing.
                        emulator.Control.CloseAllWatches();
                        closedAgain = Stopwatch.GetTimestamp();
                    }
                }

                var rewatch = Stopwatch.GetElapsedTime(dropped);
                longestRewatch = rewatch > longestRewatch ? rewatch : longestRewatch;
                slowRewatches += rewatch > TimeSpan.FromMilliseconds(100) ? 1 : 0;

                // A watch dropped before it delivered anything looks like a failing server, which
                // the operator (as client-go) answers with backoff; let each live to its first bookmark.
                await Task.Delay(2 * BookmarkInterval, cancellationToken).ConfigureAwait(false);
                if ((drops + 1) % options.WatchDropSampleEvery == 0)
                {
                    samples.Add(await MemorySampleAsync(second, drops + 1, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            emulator.Control.RecordRequests = false;
            emulator.Control.ResetCounters();
        }

        var dropping = Stopwatch.GetElapsedTime(started);
        var results = await Task.WhenAll(bumps).ConfigureAwait(false);
        var lost = results.Count(result => result is null);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var after = second.Memory();
        var growth = 100.0 * (after.RssBytes - baseline.RssBytes) / baseline.RssBytes;
        report.Info($"Watch drops done (both operator watches re-established after each)",
            FormattableString.Invariant($"{drops} in {dropping.TotalSeconds:0.0} s; longest re-watch {longestRewatch.TotalMilliseconds:0} ms; {slowRewatches} re-watches over 100 ms"));
        report.Add($"RSS growth after {drops} watch drops",
            FormattableString.Invariant($"{growth:+0.0;-0.0}% ({baseline.RssMiB:0.0} -> {after.RssMiB:0.0} MiB; VmHWM {after.PeakRssMiB:0.0} MiB)"),
            "<= 5%", growth <= 5 && drops == options.WatchDrops);
        report.Info("Operator memory during the watch drops (after N drops: RSS = anonymous + files + shared; the GC's heap, threads, open handles and gen2 collections from /metrics)",
            string.Join("; ", samples));
        report.Add("Rotations bumped during the watch drops and not published (lost events)",
            $"{lost} of {results.Length}" + (results.Length > lost ? "; bump to status " + LatencySummary.Of([.. results.OfType<TimeSpan>()], lost) : ""),
            "0", lost == 0);
    }

    private static async Task<string> MemorySampleAsync(MeasuredOperator process, int drops, CancellationToken cancellationToken)
    {
        var memory = process.Memory();
        var metrics = await process.MetricsAsync(cancellationToken).ConfigureAwait(false);
        return FormattableString.Invariant(
            $"{drops}: {memory.RssMiB:0.0} = {memory.AnonymousBytes / 1048576d:0.0} + {memory.FileBytes / 1048576d:0.0} + {memory.SharedBytes / 1048576d:0.0} MiB, heap {metrics.Sum("dotnet_total_memory_bytes") / 1048576:0.0} MiB, threads {metrics.Sum("process_num_threads"):0}, handles {metrics.Sum("process_open_handles"):0}, gen2 {metrics.Sum("dotnet_collection_count_total", "generation=2"):0}");
    }

    private async Task ReportMetricsAsync(MeasuredOperator process, string which, CancellationToken cancellationToken)
    {
        var metrics = await process.MetricsAsync(cancellationToken).ConfigureAwait(false);
        var reconciles = metrics.Sum("controller_runtime_reconcile_total");
        var durationSum = metrics.Sum("controller_runtime_reconcile_time_seconds_sum");
        var durationCount = metrics.Sum("controller_runtime_reconcile_time_seconds_count");
        report.Info($"Operator /metrics, {which}", FormattableString.Invariant(
            $"reconciles {reconciles:0} (errors {metrics.Sum("controller_runtime_reconcile_errors_total"):0}), mean reconcile {(durationCount > 0 ? 1000 * durationSum / durationCount : 0):0.00} ms, writes secret {metrics.Sum("sshtunnel_api_writes_total", "object=secret"):0} / status {metrics.Sum("sshtunnel_api_writes_total", "object=status"):0}, 409 conflicts {metrics.Sum("sshtunnel_write_conflicts_total"):0}, CPU {metrics.Sum("process_cpu_seconds_total"):0.0} s, GC heap {metrics.Sum("dotnet_total_memory_bytes") / 1024 / 1024:0.0} MiB, GCs gen0/1/2 {metrics.Sum("dotnet_collection_count_total", "generation=0"):0}/{metrics.Sum("dotnet_collection_count_total", "generation=1"):0}/{metrics.Sum("dotnet_collection_count_total", "generation=2"):0}"));
    }

    private async Task<FloorResult> FloorAsync(IKubernetes admin, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Floor: bare client, {options.Workers} concurrent, {count:N0} connections");
        var floorWriter = new ConnectionWriter(Enumerable.Range(0, options.Clients).Select(_ => (IKubernetes)NewClient()).ToArray(), FloorNamespace);
        var cpu = CpuSample.Take(0);
        var result = await new FloorBenchmark(NewClient(), floorWriter, options.Workers).RunAsync(count, cancellationToken).ConfigureAwait(false);
        report.Info("Floor: CPU (all four floor phases and the untimed creates; no operator running)", CpuSample.Take(0).Since(cpu));
        report.Info($"Floor: Secret create + status write for {count:N0} ({result.Concurrency} concurrent)", FloorRate(result.ProvisionPhase));
        report.Info($"Floor: Secret replace + status write for {count:N0}", FloorRate(result.RotatePhase));
        report.Info($"Floor end to end: resource create + Secret create + status write for {count:N0}", FloorRate(result.ProvisionEndToEndPhase));
        report.Info($"Floor end to end: annotation bump + read + Secret replace + status write for {count:N0}", FloorRate(result.RotateEndToEndPhase));
        var provisionRatio = count / provisionSeconds / result.ProvisionRate;
        var rotateRatio = count / rotateSeconds / result.RotateRate;
        // Not the throughput goal's figure: the operator's side includes the harness's 10,000 creates (bumps), which share the cores and
        // which the floor's side does not make (the cap rows). The goal is taken on the backlog rows, which time both sides alike.
        report.Info("Operator provisioning rate / floor rate (main phase: the harness's creates on the operator's side only)", Percent(provisionRatio));
        report.Info("Operator rotation rate / floor rate (main phase: the harness's bumps on the operator's side only)", Percent(rotateRatio));
        var provisionEndToEndRatio = count / provisionSeconds / result.ProvisionEndToEndRate;
        var rotateEndToEndRatio = count / rotateSeconds / result.RotateEndToEndRate;
        report.Info("Operator provisioning rate / end-to-end floor rate (main phase: user's create included on both sides)", Percent(provisionEndToEndRatio));
        report.Info("Operator rotation rate / end-to-end floor rate (main phase: user's bump included on both sides)", Percent(rotateEndToEndRatio));
        ReportCap("provisioning", provisionHarnessCpu, provisionOperatorCpu, result.ProvisionPhase, result.ProvisionEndToEndPhase);
        ReportCap("rotation", rotateHarnessCpu, rotateOperatorCpu, result.RotatePhase, result.RotateEndToEndPhase);
        report.Note("The operator's rates are timed from the harness's first create (bump) to the last published status, so they include the harness's own writes, which share the 2 cores with the operator and the emulator; the floor of the operator's writes alone excludes them, so its ratio is capped by the harness's create (bump) rate. The end-to-end floor makes the same user write first, on both sides. The throughput goal (at least 50% of the writes-only floor) is taken on the backlog rows, which time the operator's writes as the floor times the bare client's.");

        // The floor's objects go before the operator starts again: its caches and the converged window hold only the benchmark's own.
        await DeleteNamespaceAsync(admin, FloorNamespace, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The operator draining backlogs the user wrote while it was stopped (<see cref="BacklogBenchmark"/>), against the
    /// writes-only floor, which likewise times only the operator's writes on resources created beforehand. Right after
    /// the floor, so both see the machine in the same state; its namespace is gone before the operator starts again.
    /// </summary>
    private async Task BacklogAsync(IKubernetes admin, FloorResult floor, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Backlog: {count:N0} connections created, then bumped, while no operator runs");
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = BacklogNamespace } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var backlogWriter = new ConnectionWriter(Enumerable.Range(0, options.Clients).Select(_ => (IKubernetes)NewClient()).ToArray(), BacklogNamespace);
        BacklogResult result;
        await using (var backlogWatcher = await StatusWatcher.StartAsync(NewClient(), BacklogNamespace, cancellationToken).ConfigureAwait(false))
        {
            var drains = 0;
            result = await new BacklogBenchmark(
                backlogWriter,
                backlogWatcher,
                // Only the backlog's namespace: a new process would otherwise also confirm the key pairs of the N converged connections.
                () => MeasuredOperator.Start(
                    options.OperatorAssembly,
                    kubeconfig,
                    ["--workers", options.Workers.ToString(CultureInfo.InvariantCulture), "--namespaces", BacklogNamespace],
                    options.OperatorEnvironment,
                    Path.Combine(LogDirectory, $"operator-backlog-{++drains}.log")),
                ReadyTimeout,
                options.PhaseTimeout).RunAsync(count, cancellationToken).ConfigureAwait(false);
        }

        ReportBacklog("provisioning", result.Provision, floor.ProvisionPhase);
        ReportBacklog("rotation", result.Rotate, floor.RotatePhase);
        report.Note("The backlog figures time the operator's writes as the writes-only floor times the bare client's: on resources the user wrote beforehand, with no harness write sharing the cores. Each backlog is drained by a new operator process, timed from its /readyz 200 to the last published status; a new process checks each Secret's key pairs once (two Ed25519 derivations, from what its LIST brought), which the rotation backlog pays.");
        await DeleteNamespaceAsync(admin, BacklogNamespace, cancellationToken).ConfigureAwait(false);
    }

    private void ReportBacklog(string phase, BacklogPhase backlog, FloorPhase floor)
    {
        var ratio = floor.Elapsed / backlog.Elapsed;
        report.Add($"Operator {phase} backlog rate / writes-only floor rate (the throughput goal; both on resources written beforehand)", FormattableString.Invariant(
            $"{ratio:0.0%} ({count:N0} in {backlog.Elapsed.TotalSeconds:0.00} s from ready, floor {floor.Elapsed.TotalSeconds:0.00} s)"), ">= 50%", ratio >= 0.5);
        report.Info($"Operator {phase} backlog / floor in CPU-s (floor phase / operator's + this process's over the drain)", FormattableString.Invariant(
            $"{Percent(floor.CpuSeconds / backlog.CpuSeconds)} (operator {backlog.OperatorCpuSeconds:0.00} CPU-s, harness + emulator {backlog.HarnessCpuSeconds:0.00}, floor {floor.CpuSeconds:0.00}; cap with a zero-cost operator {Percent(floor.CpuSeconds / backlog.HarnessCpuSeconds)})"));
    }

    /// <summary>
    /// Puts <see cref="WarmUpConnections"/> connections through the floor's writes <see cref="WarmUpRounds"/> times, deleting them each time, before the
    /// operator first starts: this process's JIT compiles and tiers up the emulator's write, watch and validation
    /// paths here, not during the operator's phases, as it has when the floor runs later. A real API server is
    /// compiled ahead of time, so neither side should pay this process's warm-up.
    /// </summary>
    private async Task WarmUpAsync(IKubernetes admin, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Warming up the emulator: {WarmUpRounds} rounds of {WarmUpConnections} connections");
        for (var round = 1; round <= WarmUpRounds; round++)
        {
            var ns = "warm-up-" + round.ToString(CultureInfo.InvariantCulture);
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var warmUpWriter = new ConnectionWriter(Enumerable.Range(0, options.Clients).Select(_ => (IKubernetes)NewClient()).ToArray(), ns);
            await using (await StatusWatcher.StartAsync(NewClient(), ns, cancellationToken).ConfigureAwait(false))
            {
                await new FloorBenchmark(NewClient(), warmUpWriter, options.Workers).RunAsync(WarmUpConnections, cancellationToken).ConfigureAwait(false);
            }

            await DeleteNamespaceAsync(admin, ns, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteNamespaceAsync(IKubernetes admin, string ns, CancellationToken cancellationToken)
    {
        await admin.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.PhaseTimeout.TotalSeconds * Stopwatch.Frequency);
        while (!await IsEmptyAsync(admin, ns, cancellationToken).ConfigureAwait(false))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the namespace {ns} was not emptied within {options.PhaseTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The most the floor ratios could reach with an operator that cost nothing. The floor is CPU-bound on the cores,
    /// its bare client and the emulator both in this process; in the operator's phase this process (the emulator
    /// serving the operator's writes and watches, the harness's own writes and status watch) used
    /// <paramref name="harnessCpu"/> CPU-s, so that phase cannot go faster than the floor by more than the ratio of
    /// the two CPU figures. CPU-seconds, unlike wall time, hold on a shared, loaded machine.
    /// </summary>
    private void ReportCap(string phase, double harnessCpu, double operatorCpu, FloorPhase floor, FloorPhase floorEndToEnd)
    {
        // The same ratio as the rows above in CPU-seconds (the floor's over the operator's phase's, both processes), which the machine's load disturbs far less than wall time.
        report.Info($"Operator {phase} / floor in CPU-s (this process's CPU-s in the floor phase / operator's + this process's in the operator's phase)", FormattableString.Invariant(
            $"{floor.CpuSeconds / (operatorCpu + harnessCpu):0%} of the writes-only floor, {floorEndToEnd.CpuSeconds / (operatorCpu + harnessCpu):0%} of the end-to-end floor"));
        report.Info($"Cap of the {phase} ratios with a zero-cost operator (this process's CPU-s in the floor phase / in the operator's phase)", FormattableString.Invariant(
            $"{floor.CpuSeconds / harnessCpu:0%} of the writes-only floor, {floorEndToEnd.CpuSeconds / harnessCpu:0%} of the end-to-end floor (harness + emulator CPU-s per 1,000 connections: operator's phase {1000 * harnessCpu / count:0.00}, floor {1000 * floor.CpuSeconds / count:0.00}, end-to-end floor {1000 * floorEndToEnd.CpuSeconds / count:0.00})"));
    }

    private static async Task<bool> IsEmptyAsync(IKubernetes admin, string ns, CancellationToken cancellationToken)
    {
        try
        {
            var secrets = await admin.CoreV1.ListNamespacedSecretAsync(ns, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            var connections = await admin.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<SshTunnelConnection>>(
                ResourceNames.Group, ResourceNames.Version, ns, ResourceNames.Plural, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secrets.Items.Count == 0 && connections.Items.Count == 0;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    private string FloorRate(FloorPhase phase) =>
        Rate(phase.Elapsed) + FormattableString.Invariant($"; harness + emulator {phase.CpuSeconds:0.00} CPU-s");

    private string Rate(TimeSpan elapsed) => Seconds(elapsed.TotalSeconds) + FormattableString.Invariant($" ({count / elapsed.TotalSeconds:N0}/s)");

    private static string Percent(double ratio) => ratio.ToString("0%", CultureInfo.InvariantCulture);
}
