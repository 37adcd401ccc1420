using System.Text.RegularExpressions;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.Operator.Tests.Observability;

/// <summary>
/// The real operator process's <c>/metrics</c> after validating connections to several distinct
/// bastion names: exactly the operator's families plus the standard process and .NET ones, and
/// no label value that names a connection or a bastion (so series stay bounded however many there are).
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed partial class MetricFamilyTests : IAsyncLifetime
{
    private static readonly string[] ExpectedFamilies =
    [
        "controller_runtime_active_workers", "controller_runtime_max_concurrent_reconciles", "controller_runtime_reconcile_errors_total",
        "controller_runtime_reconcile_time_seconds", "controller_runtime_reconcile_total",
        "dotnet_collection_count_total", "dotnet_total_memory_bytes",
        "leader_election_master_status",
        "process_cpu_seconds_total", "process_num_threads", "process_open_handles", "process_private_memory_bytes",
        "process_start_time_seconds", "process_virtual_memory_bytes", "process_working_set_bytes",
        "rest_client_requests_total",
        "sshtunnel_api_writes_total", "sshtunnel_connections", "sshtunnel_events_dropped_total", "sshtunnel_key_rotations_total", "sshtunnel_key_secrets",
        "sshtunnel_keys_mean_timestamp_seconds", "sshtunnel_oldest_keys_timestamp_seconds", "sshtunnel_portforward_crd_installed", "sshtunnel_validations_running",
        "sshtunnel_validations_total", "sshtunnel_write_conflicts_total",
        "workqueue_adds_total", "workqueue_depth", "workqueue_longest_running_processor_seconds", "workqueue_queue_duration_seconds",
        "workqueue_retries_total", "workqueue_unfinished_work_seconds", "workqueue_work_duration_seconds",
    ];

    /// <summary>Every label any family may carry; each has a value set fixed by the code, not by the cluster's objects.</summary>
    private static readonly string[] AllowedLabels =
        ["controller", "name", "priority", "result", "le", "generation", "reason", "ready", "object", "code", "method", "host"];

    private OperatorHarness harness = null!;

    public async Task InitializeAsync() =>
        harness = OperatorHarness.WithoutOperator(await EmulatedCluster.StartAsync(bookmarkInterval: OperatorHarness.IdleBookmarkInterval));

    public Task DisposeAsync() => harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Only_the_operators_and_the_process_families_are_exported_with_no_label_per_bastion()
    {
        await using var process = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]);
        var bastions = Enumerable.Range(1, 6).Select(i => $"bastion-{i}.invalid").ToList();
        foreach (var (bastion, index) in bastions.Select((bastion, index) => (bastion, index)))
        {
            await harness.CreateAsync($"conn-{index}", OperatorHarness.Spec(host: bastion, validate: true));
        }

        for (var index = 0; index < bastions.Count; index++)
        {
            await harness.WaitAsync(
                $"conn-{index}",
                connection => OperatorHarness.ConditionOf(connection, "Validated")?.Reason == "NameResolutionFailed",
                "the bastion's name to fail to resolve");
        }

        var forward = await new PortForwardClient(harness.Client, OperatorHarness.Namespace).CreateAsync("warehouse-db", PortForwardClient.Spec("conn-0"));
        await process.WaitForIdleAsync(forward.Metadata.ResourceVersion);

        var scrape = await process.ScrapeAsync();
        var apiServer = harness.Cluster.Client.BaseUri.Authority;

        var families = scrape.Text.Split('\n').Where(line => line.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(line => line.Split(' ')[2]).Order().ToList();
        Assert.Equal(ExpectedFamilies.Order(), families);
        var samples = scrape.Text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        Assert.All(samples, sample => Assert.DoesNotContain(".invalid", sample, StringComparison.Ordinal));
        Assert.All(samples, sample => Assert.DoesNotContain("conn-", sample, StringComparison.Ordinal));
        var labels = samples.SelectMany(sample => LabelName().Matches(sample).Select(match => match.Groups[1].Value)).Distinct().ToList();
        Assert.All(labels, label => Assert.Contains(label, AllowedLabels));
        var hosts = samples.SelectMany(sample => HostLabel().Matches(sample).Select(match => match.Groups[1].Value)).Distinct();
        Assert.Equal([apiServer], hosts);
        Assert.True(scrape.Value("sshtunnel_validations_total", "reason=NameResolutionFailed") >= bastions.Count);
        Assert.Equal(2, scrape.Value("controller_runtime_max_concurrent_reconciles", "controller=sshtunnelconnection"));
        Assert.True(scrape.Value("workqueue_queue_duration_seconds_count", "name=sshtunnelconnection", "controller=sshtunnelconnection") >= 6);
        Assert.Equal(1, scrape.Value("sshtunnel_portforward_crd_installed"));
        Assert.Equal(0, scrape.Value("sshtunnel_events_dropped_total"));
        Assert.Equal(2, scrape.Value("controller_runtime_max_concurrent_reconciles", "controller=sshportforward"));
        Assert.True(scrape.Value("controller_runtime_reconcile_total", "controller=sshportforward", "result=success") >= 1);
        Assert.Equal(0, scrape.Value("controller_runtime_reconcile_total", "controller=sshportforward", "result=error"));
        Assert.True(scrape.Value("controller_runtime_reconcile_time_seconds_count", "controller=sshportforward") >= 1);
        Assert.True(scrape.Value("workqueue_adds_total", "name=sshportforward", "controller=sshportforward") >= 1);
        Assert.True(scrape.Value("workqueue_work_duration_seconds_count", "name=sshportforward", "controller=sshportforward") >= 1);
        Assert.Equal(0, scrape.Value("workqueue_depth", "name=sshportforward", "controller=sshportforward", "priority="));
        Assert.Equal(0, scrape.Value("controller_runtime_active_workers", "controller=sshportforward"));
        Assert.True(scrape.Value("rest_client_requests_total", "code=201", "method=POST", "host=" + apiServer) >= 6);
    }

    [GeneratedRegex("[{,]([a-z_]+)=\"")]
    private static partial Regex LabelName();

    [GeneratedRegex("host=\"([^\"]*)\"")]
    private static partial Regex HostLabel();
}
