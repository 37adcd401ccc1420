using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Kube.Emulator.Tests.Api;

/// <summary>KubernetesClient's leader election, as the operator uses it, against the emulator's Leases.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LeaseTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Leader_election_acquires_and_records_the_lease()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var config = new LeaderElectionConfig(new LeaseLock(client, ns, "leader", "candidate-a"))
        {
            LeaseDuration = TimeSpan.FromSeconds(10),
            RenewDeadline = TimeSpan.FromSeconds(5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        using var elector = new LeaderElector(config);
        var leading = new TaskCompletionSource();
        elector.OnStartedLeading += () => leading.TrySetResult();

        var running = elector.RunUntilLeadershipLostAsync(stop.Token);
        await leading.Task.WaitAsync(stop.Token);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal("candidate-a", lease.Spec.HolderIdentity);
        Assert.Equal(10, lease.Spec.LeaseDurationSeconds);
        Assert.NotNull(lease.Spec.RenewTime);
    }
}
