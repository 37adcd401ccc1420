using System.Diagnostics;
using System.Globalization;
using Kube.Controller;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Benchmarks.Forwarding;
using SshTunnel.Benchmarks.OperatorHost;
using SshTunnel.Benchmarks.Reporting;
using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Probing;
using SshTunnel.Operator.Reconciliation;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Benchmarks.Probing;

/// <summary>
/// Validation capacity: logins per second of the operator's probe pool (its
/// <see cref="ProbeScheduler"/> and <see cref="SshBastionProbe"/>, in this process) next to
/// OpenSSH's own client (<c>ssh -o BatchMode=yes ... true</c>, one process per login) at the
/// same concurrency, against the same real sshd on 127.0.0.1, in the same run; rounds alternate
/// which goes first. Then the time the pool at the operator's default <c>--probe-concurrency</c>
/// takes to validate 1,000 new connections (key 1 and key 2 each).
/// </summary>
internal sealed class ProbeBenchmark(BenchmarkOptions options, BenchmarkReport report)
{
    /// <summary>
    /// sshd drops unauthenticated connections at random from 10 and refuses all from 100 by
    /// default (MaxStartups 10:30:100); 64 logins at once, each in its key exchange, would hit it.
    /// </summary>
    private const string MaxStartups = "MaxStartups 1000";
    private const int NewConnections = 1_000;
    private static readonly int[] Concurrencies = [4, 16, 64];
    private readonly int defaultConcurrency = new OperatorOptions().ProbeConcurrency;
    private readonly TimeSpan revalidateInterval = new OperatorOptions().RevalidateInterval;
    private BastionSetup bastion = null!;
    private string privateKey1 = "";
    private string privateKey2 = "";

    private int Rounds => options.Quick ? 1 : 2;

    private int LoginsPerRound(int concurrency) => Math.Max(options.Quick ? 100 : 300, (options.Quick ? 4 : 8) * concurrency);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var started = await BastionSetup.StartAsync(MaxStartups).ConfigureAwait(false);
        bastion = started;
        var key2 = SshKeyPair.Generate("probe-bench-2");
        bastion.Authorize(key2.PublicKeyLine);
        privateKey1 = await File.ReadAllTextAsync(bastion.PrivateKeyPath, cancellationToken).ConfigureAwait(false);
        privateKey2 = key2.PrivateKey;
        report.Note($"sshd on 127.0.0.1 with `{MaxStartups}` (the default 10:30:100 drops logins at random from 10 unauthenticated at once); OpenSSH's client runs `ssh -o BatchMode=yes -o IdentitiesOnly=yes -i KEY -o UserKnownHostsFile=... -o StrictHostKeyChecking=yes USER@127.0.0.1 true`, one process per login, so it also runs a session and a command, which the probe does not; a probe logs in with key 1 and then key 2, so the pool's logins are twice its probes.");

        // Warm-up: the JIT of the probe path and sshd's first forks, outside the figures.
        await OpenSshLoginsAsync(8, 4, [], cancellationToken).ConfigureAwait(false);
        await ProbeLoginsAsync(8, 4, cancellationToken).ConfigureAwait(false);

        foreach (var concurrency in Concurrencies)
        {
            Console.WriteLine($"Logins at concurrency {concurrency}");
            var logins = LoginsPerRound(concurrency);
            var pool = new List<LoginRun>();
            var openSsh = new List<LoginRun>();
            for (var round = 0; round < Rounds; round++)
            {
                if (round % 2 == 0)
                {
                    openSsh.Add(await OpenSshLoginsAsync(logins, concurrency, [], cancellationToken).ConfigureAwait(false));
                    pool.Add(await ProbeLoginsAsync(logins, concurrency, cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    pool.Add(await ProbeLoginsAsync(logins, concurrency, cancellationToken).ConfigureAwait(false));
                    openSsh.Add(await OpenSshLoginsAsync(logins, concurrency, [], cancellationToken).ConfigureAwait(false));
                }
            }

            var ratios = pool.Zip(openSsh, (probe, ssh) => probe.PerSecond / ssh.PerSecond).ToList();
            var ratio = Median(ratios);
            var failed = pool.Sum(run => run.Failed) + openSsh.Sum(run => run.Failed);
            report.Add(
                $"Logins/s at concurrency {concurrency}: probe pool / OpenSSH `ssh ... true` ({logins} logins each, {Rounds} round(s))",
                Invariant($"pool {Median([.. pool.Select(run => run.PerSecond)]):0}/s; OpenSSH {Median([.. openSsh.Select(run => run.PerSecond)]):0}/s; ratio {ratio:0%} (per round: {string.Join(", ", ratios.Select(r => r.ToString("0%", CultureInfo.InvariantCulture)))}); failed logins: pool {pool.Sum(run => run.Failed)}, OpenSSH {openSsh.Sum(run => run.Failed)}"),
                ">= 80%",
                ratio >= 0.8 && failed == 0);
            report.Info(
                $"CPU ms per login at concurrency {concurrency}, client / bastion sshd",
                Invariant($"pool {Median([.. pool.Select(run => run.ClientCpuMs)]):0.0} / {Median([.. pool.Select(run => run.SshdCpuMs)]):0.0}; OpenSSH {Median([.. openSsh.Select(run => run.ClientCpuMs)]):0.0} / {Median([.. openSsh.Select(run => run.SshdCpuMs)]):0.0}"));
        }

        await KeyExchangeLeverAsync(cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"Validating {NewConnections:N0} new connections at --probe-concurrency {defaultConcurrency}");
        var validated = await ValidateAsync(NewConnections, defaultConcurrency, new BastionProbeOptions(), cancellationToken).ConfigureAwait(false);
        var probesPerSecond = validated.PerSecond / 2;
        report.Info(
            $"Validate {NewConnections:N0} new connections (key 1 and key 2 each) at the default --probe-concurrency {defaultConcurrency}",
            Invariant($"{NewConnections / probesPerSecond:0.00} s ({probesPerSecond:0} probes/s, {validated.PerSecond:0} logins/s); {validated.Failed} probes did not accept both keys"));
        report.Info(
            $"Largest fleet one replica re-validates every --revalidate-interval ({revalidateInterval.TotalMinutes:0} min) at that rate, against a bastion this fast",
            Invariant($"{Math.Floor(probesPerSecond * revalidateInterval.TotalSeconds / 1000) * 1000:N0} connections"));
    }

    /// <summary>What the probe's key exchange choice gives: the pool with SSH.NET's own order and with the probe's, in turn, at the same concurrency.</summary>
    private async Task KeyExchangeLeverAsync(CancellationToken cancellationToken)
    {
        const int Concurrency = 16;
        var logins = LoginsPerRound(Concurrency);
        var preferredName = new BastionProbeOptions().PreferredKeyExchange!;
        Console.WriteLine($"Key exchange: SSH.NET's order against {preferredName} first, concurrency {Concurrency}");
        var sshNetOrder = await ValidateAsync(logins / 2, Concurrency, new BastionProbeOptions { PreferredKeyExchange = null }, cancellationToken).ConfigureAwait(false);
        var preferred = await ValidateAsync(logins / 2, Concurrency, new BastionProbeOptions(), cancellationToken).ConfigureAwait(false);
        report.Info(
            $"Probe pool at concurrency {Concurrency}: SSH.NET's key exchange order (sntrup761x25519-sha512 with this sshd) / {preferredName} first (the probe's default)",
            Invariant($"logins/s {sshNetOrder.PerSecond:0} / {preferred.PerSecond:0}; client CPU ms per login {sshNetOrder.ClientCpuMs:0.0} / {preferred.ClientCpuMs:0.0}; sshd CPU ms per login {sshNetOrder.SshdCpuMs:0.0} / {preferred.SshdCpuMs:0.0}"));

        // OpenSSH's client with the same key exchange as the probe: the comparison login for login.
        var openSshPreferred = await OpenSshLoginsAsync(logins, Concurrency, [$"KexAlgorithms={preferredName}"], cancellationToken).ConfigureAwait(false);
        report.Info(
            $"Same key exchange ({preferredName}) at concurrency {Concurrency}: probe pool / OpenSSH `ssh -o KexAlgorithms={preferredName} ... true`",
            Invariant($"logins/s {preferred.PerSecond:0} / {openSshPreferred.PerSecond:0} ({preferred.PerSecond / openSshPreferred.PerSecond:0%}); client CPU ms per login {preferred.ClientCpuMs:0.0} / {openSshPreferred.ClientCpuMs:0.0}; sshd CPU ms per login {preferred.SshdCpuMs:0.0} / {openSshPreferred.SshdCpuMs:0.0}; failed logins {preferred.Failed} / {openSshPreferred.Failed}"));
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary><paramref name="logins"/> runs of <c>ssh ... true</c>, <paramref name="concurrency"/> at once, with <paramref name="sshOptions"/> as <c>-o</c> options.</summary>
    private async Task<LoginRun> OpenSshLoginsAsync(int logins, int concurrency, string[] sshOptions, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            .. sshOptions.SelectMany(option => new[] { "-o", option }),
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", bastion.PrivateKeyPath,
            "-o", $"UserKnownHostsFile={bastion.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes",
            "-p", bastion.Port.ToString(CultureInfo.InvariantCulture), $"{bastion.User}@{bastion.Host}", "true",
        ];
        var failed = 0;
        var cpu = Cpu.Take(bastion.SshdProcessId);
        await Parallel.ForAsync(0, logins, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (_, token) =>
        {
            var result = await ProcessRunner.RunAsync("ssh", arguments, ProcessOptions.Default, token).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                Interlocked.Increment(ref failed);
            }
        }).ConfigureAwait(false);
        return cpu.Run(logins, failed, Cpu.Take(bastion.SshdProcessId), openSsh: true);
    }

    /// <summary><paramref name="logins"/> / 2 probes (each logs in with key 1 and key 2) through the pool at <paramref name="concurrency"/>.</summary>
    private Task<LoginRun> ProbeLoginsAsync(int logins, int concurrency, CancellationToken cancellationToken) =>
        ValidateAsync(logins / 2, concurrency, new BastionProbeOptions(), cancellationToken);

    /// <summary>
    /// Hands <paramref name="connections"/> probes to a fresh pool at once and waits for every
    /// result; a probe that did not accept both keys counts as failed (both its logins).
    /// </summary>
    private async Task<LoginRun> ValidateAsync(int connections, int concurrency, BastionProbeOptions probeOptions, CancellationToken cancellationToken)
    {
        var remaining = connections;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new SshBastionProbe(probeOptions, TimeProvider.System, NullLogger<SshBastionProbe>.Instance);
        var target = new ConnectionParameters(bastion.Host, bastion.Port, bastion.User);
        var keys = Enumerable.Range(0, connections).Select(i => new ObjectKey("bench", $"probe-{i}")).ToArray();
        await using var scheduler = new ProbeScheduler(
            probe,
            concurrency,
            _ =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    done.TrySetResult();
                }
            },
            new OperatorMetrics(),
            TimeProvider.System,
            NullLogger.Instance);
        var cpu = Cpu.Take(bastion.SshdProcessId);
        foreach (var key in keys)
        {
            scheduler.Start(key, new ProbeRequest(target, privateKey1, privateKey2, HostKeyPin: null));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(60 + connections), cancellationToken).ConfigureAwait(false);
        var end = Cpu.Take(bastion.SshdProcessId);
        var failed = keys.Select(scheduler.History).Count(history => history is null || !history.AllKeysAccepted);
        return cpu.Run(2 * connections, 2 * failed, end, openSsh: false);
    }

    /// <summary>One side's round: logins per second, failures, and CPU milliseconds per login in the client and in sshd.</summary>
    private sealed record LoginRun(double PerSecond, int Failed, double ClientCpuMs, double SshdCpuMs);

    /// <summary>
    /// The CPU of both ends: this process (the pool), the <c>ssh</c> processes this process has
    /// reaped, and sshd with every session process it has reaped.
    /// </summary>
    private sealed record Cpu(TimeSpan Self, TimeSpan Children, TimeSpan Sshd, long Timestamp)
    {
        public static Cpu Take(int sshdPid) => new(
            Process.GetCurrentProcess().TotalProcessorTime,
            CpuSample.ChildrenCpu(Environment.ProcessId),
            CpuSample.ProcessCpu(sshdPid) + CpuSample.ChildrenCpu(sshdPid),
            Stopwatch.GetTimestamp());

        public LoginRun Run(int logins, int failed, Cpu end, bool openSsh) => new(
            logins / Stopwatch.GetElapsedTime(Timestamp, end.Timestamp).TotalSeconds,
            failed,
            1000 * (openSsh ? end.Children - Children : end.Self - Self).TotalSeconds / logins,
            1000 * (end.Sshd - Sshd).TotalSeconds / logins);
    }
}
