using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// One chaos run: the standalone emulator with its control surface, two replicas of the real
/// operator with leader election, and a storm of rotate-keys bumps on many connections while
/// replicas are killed with SIGKILL at random moments (a replica that ends is started again, as a
/// kubelet does), faults are armed over HTTP (lost replies included), watches are closed and the
/// history compacted. Every random choice comes from the seed. Then the faults are cleared and the
/// run waits for every connection to show the last bump, with status and Secret agreeing.
/// </summary>
public sealed class ChaosRun : IAsyncDisposable
{
    public const string Namespace = "default";
    private const string LeaseName = "ssh-tunnel-operator";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ChaosSettings settings;
    private readonly Random random;
    private readonly Action<string> say;
    private readonly EmulatorProcess emulator;
    private readonly HttpClient api;
    private readonly StreamWriter log;
    private readonly List<OperatorProcess> replicas = [];
    private readonly HashSet<OperatorProcess> killed = [];
    private readonly Dictionary<string, long> lastBump = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastKill;
    private string? holder;

    private ChaosRun(ChaosSettings settings, EmulatorProcess emulator, string logPath, Action<string> say)
    {
        this.settings = settings;
        this.say = say;
        this.emulator = emulator;
        random = new Random(settings.Seed);
        api = new HttpClient { BaseAddress = emulator.Address, Timeout = TimeSpan.FromSeconds(30) };
        log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public ChaosHistory History { get; } = new();

    public ChaosFigures Figures { get; } = new();

    /// <summary>Runs the whole schedule; the operator's log lines go to <paramref name="logPath"/>.</summary>
    public static async Task<ChaosRun> RunAsync(ChaosSettings settings, string logPath, Action<string> say)
    {
        var run = new ChaosRun(settings, await EmulatorProcess.StartAsync(), logPath, say);
        try
        {
            await run.RunAsync();
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        replicas.Clear();
        api.Dispose();
        await log.DisposeAsync();
        await emulator.DisposeAsync();
    }

    private async Task RunAsync()
    {
        History.ConvergenceBound = settings.ConvergenceBound;
        var names = Enumerable.Range(0, settings.Connections).Select(index => string.Create(CultureInfo.InvariantCulture, $"chaos-{index:D4}")).ToList();
        await using (var recorder = HistoryRecorder.Start(emulator.Address, Namespace, History))
        {
            foreach (var name in names)
            {
                await CreateConnectionAsync(name);
            }

            StartReplica();
            StartReplica();
            await StormAsync(names);
            await emulator.Control.ClearFaultsAsync();
            var stormEnded = clock.Elapsed;
            await KeepReplicasAsync();
            var converged = await WaitForConvergenceAsync(names);
            Figures.ConvergedAfterStorm = converged is null ? null : clock.Elapsed - stormEnded;
            History.ConvergedAfterLastKill = converged is null ? null : clock.Elapsed - lastKill;
            Figures.ConvergedAfterLastKill = History.ConvergedAfterLastKill;
            if (converged is not null)
            {
                Figures.HungStatusWrite = await MeasureHungStatusWriteAsync(names[0]);
                converged = await WaitForConvergenceAsync(names);
            }

            if (converged is { } state)
            {
                var target = long.Parse((string)state["resourceVersion"]!, CultureInfo.InvariantCulture);
                await Eventually.Until(() => recorder.Seen >= target, "the checker's watches to reach the converged state");
                foreach (var name in names)
                {
                    History.Final[name] = (
                        HistoryRecorder.SecretVersionOf(state["secrets"]![name]!.AsObject()),
                        HistoryRecorder.StatusVersionOf(state["connections"]![name]!.AsObject()));
                }
            }
        }

        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        replicas.Clear();
        await log.FlushAsync();
        Figures.Relists = History.Gaps.Count;
        Figures.SecretVersions = History.Secrets.Count;
        Figures.StatusVersions = History.Statuses.Count;
        Figures.Bumps = History.Bumps.Values.Sum(values => values.Count);
        Figures.Rotations = History.Final.Values.Sum(final => final.Secret.RotationCount);
    }

    private async Task StormAsync(List<string> names)
    {
        var nextKill = clock.Elapsed + KillInterval();
        var end = clock.Elapsed + settings.Storm;
        while (clock.Elapsed < end)
        {
            await KeepReplicasAsync();
            if (clock.Elapsed >= nextKill)
            {
                await KillAsync();
                nextKill = clock.Elapsed + KillInterval();
            }

            var action = random.Next(100);
            if (action < 40)
            {
                var count = 1 + random.Next(Math.Max(1, names.Count / 3));
                await Task.WhenAll(names.OrderBy(_ => random.Next()).Take(count).ToList().Select(BumpAsync));
            }
            else if (action < 80)
            {
                var (name, match, fault) = FaultMenu.Pick(random);
                await emulator.Control.FailNextAsync(1 + random.Next(3), match, fault);
                var kind = FaultMenu.Kind(name);
                Figures.Faults[kind] = Figures.Faults.GetValueOrDefault(kind) + 1;
            }
            else if (action < 87)
            {
                await emulator.Control.CloseAllWatchesAsync();
                Figures.WatchCloses++;
            }
            else if (action < 93)
            {
                await emulator.Control.CompactHistoryAsync();
                Figures.Compactions++;
            }
            else
            {
                // Held requests are served at last, and what is still armed is disarmed.
                await emulator.Control.ClearFaultsAsync();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50 + random.Next(400)));
        }
    }

    /// <summary>
    /// With the cluster quiet: the status write of one connection's rotation hangs (the emulator
    /// holds it), and the time from the bump to the rotation in its status is measured; the
    /// operator's <c>--api-timeout</c> bounds it, not the client's 30 s per-request timeout.
    /// </summary>
    private async Task<TimeSpan> MeasureHungStatusWriteAsync(string name)
    {
        await emulator.Control.FailNextAsync(
            1,
            new JsonObject { ["verb"] = "update", ["resource"] = ResourceNames.Plural, ["subresource"] = "status", ["namespace"] = Namespace, ["name"] = name },
            new JsonObject { ["type"] = "Hang" });
        Figures.Faults["hang"] = Figures.Faults.GetValueOrDefault("hang") + 1;
        var started = clock.Elapsed;
        await BumpAsync(name);
        var wanted = lastBump[name];
        await Eventually.Until(
            async () => HistoryRecorder.StatusVersionOf(JsonNode.Parse(await api.GetStringAsync($"{ConnectionsPath}/{name}"))!.AsObject()).RotationHandled == wanted,
            $"the rotation of {name} in its status past the hung write",
            settings.ConvergenceBound);
        var elapsed = clock.Elapsed - started;
        await emulator.Control.ClearFaultsAsync();
        return elapsed;
    }

    /// <summary>A kill every 3 to 8 seconds: often enough for several per short run, some while a replica still starts.</summary>
    private TimeSpan KillInterval() => TimeSpan.FromMilliseconds(3000 + random.Next(5000));

    /// <summary>SIGKILL to the leader (three times in four, when one leads) or to any replica.</summary>
    private async Task KillAsync()
    {
        var running = replicas.Where(replica => !replica.HasExited).ToList();
        if (running.Count == 0)
        {
            return;
        }

        OperatorProcess? leader = null;
        if (random.Next(4) > 0)
        {
            foreach (var replica in running)
            {
                if (await replica.ScrapeOrNullAsync() is { } scrape && scrape.Value("leader_election_master_status", "name=" + LeaseName) == 1)
                {
                    leader = replica;
                }
            }
        }

        var victim = leader ?? running[random.Next(running.Count)];
        killed.Add(victim);
        victim.Kill();
        Figures.Kills++;
        lastKill = clock.Elapsed;
    }

    /// <summary>Starts a replica for each that ended, as a kubelet restarts a container; follows the Lease's holder.</summary>
    private async Task KeepReplicasAsync()
    {
        foreach (var ended in replicas.Where(replica => replica.HasExited).ToList())
        {
            if (!killed.Remove(ended))
            {
                Figures.Exits++;
            }

            replicas.Remove(ended);
            await ended.DisposeAsync();
            StartReplica();
        }

        using var lease = await api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{Namespace}/leases/{LeaseName}");
        if (lease.StatusCode == HttpStatusCode.OK
            && (string?)JsonNode.Parse(await lease.Content.ReadAsStringAsync())!["spec"]?["holderIdentity"] is { Length: > 0 } current
            && current != holder)
        {
            Figures.LeaderChanges += holder is null ? 0 : 1;
            holder = current;
        }
    }

    private void StartReplica()
    {
        string Seconds(double fraction) => (ChaosSettings.LeaseDuration.TotalSeconds * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        replicas.Add(OperatorProcess.Start(
            emulator.KubeconfigPath,
            [
                "--leader-elect", "--leader-election-namespace", Namespace,
                "--leader-election-lease-duration", Seconds(1), "--leader-election-renew-deadline", Seconds(0.66),
                "--leader-election-retry-period", Seconds(0.1), "--workers", "4", "--namespaces", Namespace,
                "--api-timeout", ChaosSettings.ApiTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s", "--log-level", "debug",
            ],
            onLine: WriteLog,
            keepOutput: false));
    }

    private void WriteLog(string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private async Task CreateConnectionAsync(string name)
    {
        var connection = new JsonObject
        {
            ["apiVersion"] = ResourceNames.ApiVersion,
            ["kind"] = ResourceNames.Kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["host"] = "bastion.example.com", ["user"] = "tunnel", ["validate"] = false },
        };
        using var response = await api.PostAsJsonAsync(ConnectionsPath, connection);
        response.EnsureSuccessStatusCode();
    }

    private async Task BumpAsync(string name)
    {
        long value;
        lock (lastBump)
        {
            value = lastBump[name] = lastBump.GetValueOrDefault(name, 1_000) + 1;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ResourceNames.RotateKeysAnnotation] = value.ToString(CultureInfo.InvariantCulture) } } };
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{ConnectionsPath}/{name}")
        {
            Content = new StringContent(patch.ToJsonString(), System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        using var response = await api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        lock (History)
        {
            if (!History.Bumps.TryGetValue(name, out var values))
            {
                History.Bumps[name] = values = [];
            }

            values.Add(value);
        }
    }

    /// <summary>
    /// Polls until every connection is Ready with the keys of its Secret, the Secret has handled the
    /// last bump and the leader is idle at the listed resourceVersion; gives up after twice the
    /// bound (so a slow convergence is measured, not just failed). Returns the converged objects.
    /// </summary>
    private async Task<JsonObject?> WaitForConvergenceAsync(List<string> names)
    {
        var deadline = clock.Elapsed + settings.ConvergenceBound * 2;
        while (clock.Elapsed < deadline)
        {
            await KeepReplicasAsync();
            var secrets = await ListAsync($"/api/v1/namespaces/{Namespace}/secrets?labelSelector={Uri.EscapeDataString(KeySecretLayout.ManagedBySelector)}");
            var connections = await ListAsync(ConnectionsPath);
            var secretByName = secrets.Items.ToDictionary(item => (string)item["metadata"]!["name"]!);
            var connectionByName = connections.Items.ToDictionary(item => (string)item["metadata"]!["name"]!);
            if (names.All(name => connectionByName.TryGetValue(name, out var connection)
                    && secretByName.TryGetValue(KeySecretLayout.SecretName(name), out var secret)
                    && IsConverged(name, connection, secret)))
            {
                var resourceVersion = long.Max(secrets.ResourceVersion, connections.ResourceVersion);
                foreach (var replica in replicas)
                {
                    var (status, _) = await replica.AnswerOfAsync($"/debug/idle?resourceVersion={resourceVersion}");
                    if (status == (int)HttpStatusCode.OK && await IsLeaderAsync(replica))
                    {
                        return new JsonObject
                        {
                            ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture),
                            ["secrets"] = new JsonObject(names.Select(name => KeyValuePair.Create(name, (JsonNode?)secretByName[KeySecretLayout.SecretName(name)].DeepClone()))),
                            ["connections"] = new JsonObject(names.Select(name => KeyValuePair.Create(name, (JsonNode?)connectionByName[name].DeepClone()))),
                        };
                    }
                }
            }

            await Task.Delay(PollInterval);
        }

        say("not converged; the last state:\n" + await api.GetStringAsync(ConnectionsPath));
        return null;
    }

    private bool IsConverged(string name, JsonObject connection, JsonObject secret)
    {
        var status = HistoryRecorder.StatusVersionOf(connection);
        var keys = HistoryRecorder.SecretVersionOf(secret);
        var ready = connection["status"]?["conditions"]?.AsArray()
            .Any(condition => (string?)condition!["type"] == "Ready" && (string?)condition["status"] == "True"
                && (long?)condition["observedGeneration"] == (long?)connection["metadata"]!["generation"]) == true;
        long? wanted;
        lock (lastBump)
        {
            wanted = lastBump.TryGetValue(name, out var value) ? value : null;
        }

        return ready && status.PublicKey1 == keys.PublicKey1 && status.PublicKey2 == keys.PublicKey2
            && status.RotationCount == keys.RotationCount && (wanted is null || (keys.RotationHandled == wanted && status.RotationHandled == wanted));
    }

    private static async Task<bool> IsLeaderAsync(OperatorProcess replica) =>
        await replica.ScrapeOrNullAsync() is { } scrape && scrape.Value("leader_election_master_status", "name=" + LeaseName) == 1;

    private async Task<(List<JsonObject> Items, long ResourceVersion)> ListAsync(string path)
    {
        var list = JsonNode.Parse(await api.GetStringAsync(path))!.AsObject();
        return ([.. list["items"]!.AsArray().Select(item => item!.AsObject())], long.Parse((string)list["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture));
    }

    private static string ConnectionsPath => $"/apis/{ResourceNames.Group}/{ResourceNames.Version}/namespaces/{Namespace}/{ResourceNames.Plural}";
}
