using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Kube.Emulator.Tests.Api;

/// <summary>The coordination and events kinds the operator writes: Leases through KubernetesClient's leader election, and Events.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LeaseAndEventTests(EmulatorFixture fixture)
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

    [Fact]
    public async Task Events_of_both_groups_are_stored_and_listed()
    {
        var ns = await fixture.NewNamespaceAsync();

        await client.EventsV1.CreateNamespacedEventAsync(
            new k8s.Models.Eventsv1Event
            {
                Metadata = new k8s.Models.V1ObjectMeta { Name = "e1" },
                EventTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                ReportingController = "example.com/operator",
                ReportingInstance = "operator-0",
                Action = "Rotate",
                Reason = "KeysRotated",
                Type = "Normal",
                Regarding = new k8s.Models.V1ObjectReference { Kind = "Widget", Name = "w", NamespaceProperty = ns },
            },
            ns);
        await client.CoreV1.CreateNamespacedEventAsync(new k8s.Models.Corev1Event { Metadata = new k8s.Models.V1ObjectMeta { Name = "e2" }, InvolvedObject = new k8s.Models.V1ObjectReference { Kind = "Widget", Name = "w" }, Reason = "Validated" }, ns);

        var modern = await client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "reason=KeysRotated");
        var core = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=w");

        Assert.Equal("e1", Assert.Single(modern.Items).Metadata.Name);
        Assert.Equal("e2", Assert.Single(core.Items).Metadata.Name);
        Assert.True(fixture.Emulator.Control.WriteCount("events") >= 2);
    }
}
