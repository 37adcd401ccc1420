using System.Globalization;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>
/// Two replicas of the real operator binary (<c>dotnet SshTunnel.Operator.dll --leader-elect</c>)
/// against one emulator: one works, both are ready, a dead leader is replaced, a rotation asked
/// for during the handover happens once, and a leader stopped with SIGTERM hands over at once.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class LeaderElectionProcessTests : IAsyncLifetime
{
    private readonly List<OperatorReplica> replicas = [];
    private OperatorHarness harness = null!;
    private string kubeconfig = null!;

    public async Task InitializeAsync()
    {
        harness = OperatorHarness.WithoutOperator(await EmulatedCluster.StartAsync(bookmarkInterval: OperatorHarness.IdleBookmarkInterval));
        kubeconfig = harness.Cluster.KubeconfigPath;
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        await harness.DisposeAsync();
    }

    [Fact]
    public async Task One_replica_works_and_a_killed_leader_is_replaced_with_a_rotation_in_between_applied_once()
    {
        var leaseDuration = TimeSpan.FromSeconds(4);
        var first = await StartLeaderAsync(leaseDuration);
        var second = Start(leaseDuration);
        await UntilAsync(second.IsReadyAsync, "the standby to report ready", first, second);
        Assert.True(await first.IsReadyAsync());

        await harness.CreateAsync("handover", OperatorHarness.Spec());
        var created = await harness.WaitAsync("handover", OperatorHarness.IsReady, "keys published and Ready");
        await first.Process.WaitForIdleAsync(created.Metadata.ResourceVersion);
        var leaderScrape = await first.ScrapeAsync();
        var standbyScrape = await second.ScrapeAsync();
        Assert.True(leaderScrape.Value("sshtunnel_api_writes_total", "object=secret") >= 1);
        Assert.True(leaderScrape.Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success") >= 1);
        Assert.Equal(0, standbyScrape.Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success"));
        Assert.Null(standbyScrape.Value("sshtunnel_api_writes_total", "object=secret"));
        Assert.Equal(0, standbyScrape.Value("leader_election_master_status", "name=" + OperatorReplica.LeaseName));

        harness.Cluster.Control.RecordRequests = true;
        first.Process.Kill();
        await harness.AnnotateAsync("handover", "1764200000");
        await UntilAsync(second.IsLeaderAsync, "the standby to take over the expired lease", second);
        var rotated = await harness.WaitAsync(
            "handover", connection => connection.Status?.Rotation?.Count == 1 && OperatorHarness.IsReady(connection), "the rotation asked for during the handover");
        await second.Process.WaitForIdleAsync(rotated.Metadata.ResourceVersion);

        Assert.Equal(created.Status!.PublicKey2, rotated.Status!.PublicKey1);
        Assert.NotEqual(created.Status.PublicKey2, rotated.Status.PublicKey2);
        var secret = await harness.GetSecretAsync("handover");
        Assert.Equal("1", secret!.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation]);
        Assert.Equal(1, harness.Cluster.Control.RecordedRequests.Count(request => request is { Resource: "secrets", Verb: "update" or "patch" }));

        var scrape = await second.ScrapeAsync();
        AssertMetricFamilies(scrape);
        Assert.Equal(1, scrape.Value("sshtunnel_key_rotations_total"));
        Assert.Equal(1, scrape.Value("sshtunnel_connections", "ready=True"));
        Assert.Equal(0, scrape.Value("sshtunnel_connections", "ready=False"));
        Assert.Equal(1, scrape.Value("sshtunnel_key_secrets"));
        Assert.InRange(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - scrape.Value("sshtunnel_oldest_keys_timestamp_seconds")!.Value, 0, 300);
        Assert.True(scrape.Value("workqueue_adds_total", "name=sshtunnelconnection", "controller=sshtunnelconnection") >= 1);
        Assert.Equal(0, scrape.Value("controller_runtime_reconcile_errors_total", "controller=sshtunnelconnection"));
        Assert.True(scrape.Value("controller_runtime_reconcile_time_seconds_count", "controller=sshtunnelconnection") >= 1);
    }

    [Fact]
    public async Task A_leader_stopped_with_sigterm_releases_the_lease_and_the_standby_takes_over_before_it_would_expire()
    {
        // Long enough that the takeover can only come from the release.
        var leaseDuration = TimeSpan.FromMinutes(2);
        var first = await StartLeaderAsync(leaseDuration);
        var second = Start(leaseDuration);
        await UntilAsync(second.IsReadyAsync, "the standby to report ready", first, second);
        await harness.CreateAsync("graceful", OperatorHarness.Spec());
        await harness.WaitAsync("graceful", OperatorHarness.IsReady, "keys published and Ready");

        await first.Process.TerminateAsync();
        using (var exited = new CancellationTokenSource(Eventually.DefaultTimeout))
        {
            await first.Process.WaitForExitAsync(exited.Token);
        }

        Assert.True(first.Process.ExitCode == 0, first.Process.Output);
        Assert.Contains("Workers finished the reconciles in flight", first.Process.Output, StringComparison.Ordinal);
        Assert.Contains("Released lease", first.Process.Output, StringComparison.Ordinal);
        await UntilAsync(second.IsLeaderAsync, "the standby to take over the released lease", second);
        await harness.AnnotateAsync("graceful", "1764200000");
        await harness.WaitAsync("graceful", connection => connection.Status?.Rotation?.Count == 1, "the new leader to rotate");
        Assert.DoesNotContain("PRIVATE KEY", first.Process.Output + second.Process.Output, StringComparison.Ordinal);
    }

    private static void AssertMetricFamilies(PrometheusScrape scrape)
    {
        string[] counters =
        [
            "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "workqueue_adds_total",
            "workqueue_retries_total", "sshtunnel_key_rotations_total", "sshtunnel_validations_total",
        ];
        string[] gauges =
        [
            "workqueue_depth", "leader_election_master_status", "sshtunnel_connections", "sshtunnel_oldest_keys_timestamp_seconds",
            "sshtunnel_keys_mean_timestamp_seconds", "sshtunnel_key_secrets",
        ];
        Assert.All(counters, family => Assert.Equal("counter", scrape.TypeOf(family)));
        Assert.All(gauges, family => Assert.Equal("gauge", scrape.TypeOf(family)));
        Assert.Equal("histogram", scrape.TypeOf("controller_runtime_reconcile_time_seconds"));
        Assert.Equal("counter", scrape.TypeOf("process_cpu_seconds_total"));
        Assert.DoesNotContain("PRIVATE KEY", scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ssh-ed25519", scrape.Text, StringComparison.Ordinal);
    }

    private OperatorReplica Start(TimeSpan leaseDuration)
    {
        var replica = OperatorReplica.Start(kubeconfig, leaseDuration);
        replicas.Add(replica);
        return replica;
    }

    private async Task<OperatorReplica> StartLeaderAsync(TimeSpan leaseDuration)
    {
        var leader = Start(leaseDuration);
        await UntilAsync(leader.IsLeaderAsync, "the first replica to take the lease", leader);
        await UntilAsync(leader.IsReadyAsync, "the leader to report ready", leader);
        return leader;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, params OperatorReplica[] watched)
    {
        try
        {
            await Eventually.Until(condition, done => done, what);
        }
        catch (TimeoutException e)
        {
            var outputs = watched.Select((replica, index) => string.Create(CultureInfo.InvariantCulture, $"--- replica {index}:\n{replica.Process.Output}"));
            throw new TimeoutException(e.Message + "\n" + string.Join('\n', outputs), e);
        }
    }
}
