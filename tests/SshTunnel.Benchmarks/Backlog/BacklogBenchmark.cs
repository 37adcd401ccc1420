using System.Diagnostics;
using SshTunnel.Benchmarks.Cluster;
using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks.Backlog;

/// <summary>
/// The operator's side of the writes-only floor: the user's writes made beforehand, while no
/// operator runs, as the floor's resources are created before its timed writes. A new operator
/// process then drains them: provisioning every connection, then (stopped again, every
/// annotation bumped) rotating every one. Each drain is timed from the operator's <c>/readyz</c>
/// 200 (its caches hold the backlog, its workers have started) to the last published status, so
/// neither the harness's writes nor the operator's start share the cores with the figure. The
/// situation is a real one: an operator that comes back after an upgrade or an outage while a
/// GitOps sync applied and bumped connections.
/// </summary>
internal sealed class BacklogBenchmark(ConnectionWriter writer, StatusWatcher watcher, Func<MeasuredOperator> startOperator, TimeSpan readyTimeout, TimeSpan phaseTimeout)
{
    public async Task<BacklogResult> RunAsync(int count, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, count).Select(ConnectionWriter.NameOf).ToArray();
        await writer.ForEachAsync(count, (client, index) => writer.CreateAsync(client, names[index], cancellationToken)).ConfigureAwait(false);
        var provision = await DrainAsync(names, _ => keys => keys.Complete, "the provisioning backlog", cancellationToken).ConfigureAwait(false);

        var before = names.ToDictionary(name => name, watcher.Keys, StringComparer.Ordinal);
        await writer.ForEachAsync(count, (client, index) => writer.BumpAsync(client, names[index], cancellationToken)).ConfigureAwait(false);
        var rotate = await DrainAsync(names, name => keys => keys.RotatedFrom(before[name]), "the rotation backlog", cancellationToken).ConfigureAwait(false);
        return new BacklogResult(provision, rotate);
    }

    private async Task<BacklogPhase> DrainAsync(string[] names, Func<string, Func<PublishedKeys, bool>> done, string what, CancellationToken cancellationToken)
    {
        var reached = names.Select(name => watcher.WhenAsync(name, done(name))).ToArray();
        await using var running = startOperator();
        await running.WaitReadyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
        var ready = CpuSample.Take(running.Id);
        var stamps = await StatusWatcher.AllAsync(reached, what, phaseTimeout, cancellationToken).ConfigureAwait(false);
        var drained = CpuSample.Take(running.Id);
        return new BacklogPhase(
            Stopwatch.GetElapsedTime(ready.Timestamp, Math.Max(ready.Timestamp, stamps.Max())),
            drained.OperatorSecondsSince(ready),
            drained.HarnessSecondsSince(ready));
    }
}
