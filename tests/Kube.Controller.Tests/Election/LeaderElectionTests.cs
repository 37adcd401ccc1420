using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Kube.Controller.Election;
using Kube.Controller.Metrics;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Controller.Tests.Election;

/// <summary>Two contenders for one Lease on the emulator.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private const string LeaseName = "widget-controller";
    private EmulatedCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await EmulatedCluster.StartAsync(withCrds: false);

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    /// <summary>A lease duration far longer than any test, so only a release lets a standby in.</summary>
    private LeaderElection Contender(string identity, TimeSpan? leaseDuration = null) => new(
        cluster.Client,
        new LeaderElectionOptions
        {
            LeaseName = LeaseName,
            Identity = identity,
            LeaseDuration = leaseDuration ?? TimeSpan.FromMinutes(10),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        },
        NoControllerMetrics.Instance,
        TimeProvider.System,
        NullLogger.Instance);

    private async Task<string?> HolderAsync() =>
        (await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, "default")).Spec.HolderIdentity;

    /// <summary>Writes another holder into the lease, as a replica that took it over would; retried while the leader's renewals conflict.</summary>
    private Task TakeLeaseAsync(string holder) =>
        Eventually.Until(
            async () =>
            {
                var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, "default");
                lease.Spec.HolderIdentity = holder;
                try
                {
                    await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, "default");
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    return false;
                }
            },
            $"{holder} to write itself into the lease between the leader's renewals");

    [Fact]
    public async Task Only_one_contender_works_and_a_graceful_stop_hands_the_lease_over_at_once()
    {
        var working = new HashSet<string>();
        var everWorked = new List<string>();
        var overlapped = false;
        Func<CancellationToken, CancellationToken, Task> Work(string identity) => async (drain, abort) =>
        {
            lock (working)
            {
                overlapped |= working.Count > 0;
                working.Add(identity);
                everWorked.Add(identity);
            }

            await Task.Delay(Timeout.Infinite, drain).ContinueWith(_ => { }, TaskScheduler.Default);
            lock (working)
            {
                working.Remove(identity);
            }
        };

        bool Working(string identity)
        {
            lock (working)
            {
                return working.Contains(identity);
            }
        }

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = Contender("first").RunAsync(Work("first"), TimeSpan.FromSeconds(10), stopFirst.Token);
        await Eventually.Until(() => Working("first"), "the first contender to lead");
        var second = Contender("second").RunAsync(Work("second"), TimeSpan.FromSeconds(10), stopSecond.Token);
        await Eventually.Until(async () => (await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, "default")).Spec.RenewTime, _ => true, "the lease");
        Assert.Equal("first", await HolderAsync());
        Assert.False(Working("second"));

        await stopFirst.CancelAsync();
        await first.WaitAsync(Eventually.DefaultTimeout);
        Assert.False(Working("first"));
        await Eventually.Until(() => Working("second"), "the second contender to take over the released lease long before it expires");
        Assert.Equal("second", await HolderAsync());

        await stopSecond.CancelAsync();
        await second.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal("", await HolderAsync());
        Assert.False(overlapped);
        Assert.Equal(["first", "second"], everWorked);
    }

    [Fact]
    public async Task A_graceful_stop_lets_work_in_flight_finish_before_the_lease_is_released()
    {
        var finished = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = Contender("drainer").RunAsync(
            async (drain, abort) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, drain).ContinueWith(_ => { }, TaskScheduler.Default);
                finished.SetResult(abort.IsCancellationRequested ? "aborted" : await HolderAsync());
            },
            TimeSpan.FromSeconds(20),
            stop.Token);
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal("drainer", await finished.Task);
        Assert.Equal("", await HolderAsync());
    }

    [Fact]
    public async Task Work_that_overruns_the_shutdown_timeout_is_aborted()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = Contender("stubborn").RunAsync(
            async (_, abort) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, abort).ContinueWith(_ => aborted.SetResult(), TaskScheduler.Default);
            },
            TimeSpan.FromMilliseconds(200),
            stop.Token);
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);

        Assert.True(aborted.Task.IsCompleted);
        Assert.Equal("", await HolderAsync());
    }

    [Fact]
    public async Task A_leader_that_loses_its_lease_aborts_its_work_at_once_without_draining()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drained = false;
        using var stop = new CancellationTokenSource();
        var run = Contender("deposed", leaseDuration: TimeSpan.FromSeconds(4)).RunAsync(
            async (drain, abort) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, abort).ContinueWith(_ => { }, TaskScheduler.Default);
                drained = drain.IsCancellationRequested;
            },
            TimeSpan.FromSeconds(20),
            stop.Token);
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        await TakeLeaseAsync("usurper");
        await run.WaitAsync(Eventually.DefaultTimeout);

        Assert.False(drained);
        Assert.Equal("usurper", await HolderAsync());
    }

    [Fact]
    public async Task A_release_never_clears_a_lease_another_contender_holds()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = Contender("old", leaseDuration: TimeSpan.FromSeconds(4)).RunAsync(
            async (drain, _) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, drain).ContinueWith(_ => { }, TaskScheduler.Default);
                await TakeLeaseAsync("usurper");
            },
            TimeSpan.FromSeconds(20),
            stop.Token);
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        await stop.CancelAsync();
        await run.WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal("usurper", await HolderAsync());
    }
}
