using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Kube.Controller.Events;
using Polly;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Controller.Tests.Events;

/// <summary>Events written to the emulator, with repeats aggregated.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private const string Component = "widget-controller";

    private readonly V1ConfigMap involved = new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "warehouse", NamespaceProperty = "default", Uid = "uid-1", ResourceVersion = "7" },
    };

    private EmulatedCluster cluster = null!;
    private CancellationTokenSource stop = null!;
    private EventRecorder recorder = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false);
        stop = new CancellationTokenSource();
        recorder = new EventRecorder(Component, cluster.Client, ResiliencePipeline.Empty, TimeProvider.System, NullLogger.Instance);
        running = recorder.RunAsync(stop.Token);
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        await cluster.DisposeAsync();
    }

    private async Task<IList<Corev1Event>> EventsAsync() => (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items;

    [Fact]
    public async Task An_event_names_the_object_and_the_operator()
    {
        recorder.Record(involved, "Normal", "KeysGenerated", "Generated two key pairs.");

        var recorded = Assert.Single(await Eventually.Until(EventsAsync, events => events.Count == 1, "the event"));
        Assert.Equal(("ConfigMap", "v1", "warehouse", "uid-1"),
            (recorded.InvolvedObject.Kind, recorded.InvolvedObject.ApiVersion, recorded.InvolvedObject.Name, recorded.InvolvedObject.Uid));
        Assert.Equal(("Normal", "KeysGenerated", "Generated two key pairs.", 1), (recorded.Type, recorded.Reason, recorded.Message, recorded.Count));
        Assert.Equal(Component, recorded.ReportingComponent);
        Assert.Equal(Component, recorded.Source.Component);
    }

    [Fact]
    public async Task Events_recorded_while_the_queue_is_full_are_dropped_and_counted_and_the_queued_ones_published()
    {
        var bounded = new EventRecorder(Component, cluster.Client, ResiliencePipeline.Empty, TimeProvider.System, NullLogger.Instance, capacity: 2);
        for (var index = 1; index <= 5; index++)
        {
            bounded.Record(involved, "Normal", "Burst", $"event {index}");
        }

        Assert.Equal(3, bounded.Dropped);
        Assert.Equal("2 event(s) not yet published", bounded.Busy(DateTimeOffset.UnixEpoch));
        using var stopBounded = new CancellationTokenSource();
        var writing = bounded.RunAsync(stopBounded.Token);
        await Eventually.Until(() => bounded.Busy(DateTimeOffset.UnixEpoch) is null, "the queue to drain");
        bounded.Record(involved, "Normal", "Burst", "event 6");
        await Eventually.Until(() => bounded.Busy(DateTimeOffset.UnixEpoch) is null, "the last event");
        await stopBounded.CancelAsync();
        await writing;

        var events = await EventsAsync();
        Assert.Equal(["event 1", "event 2", "event 6"], events.Where(e => e.Reason == "Burst").Select(e => e.Message).Order());
        Assert.Equal(3, bounded.Dropped);
    }

    [Fact]
    public async Task A_repeat_bumps_the_count_of_the_same_event()
    {
        recorder.Record(involved, "Warning", "InvalidRotationToken", "not an integer: tomorrow");
        recorder.Record(involved, "Warning", "InvalidRotationToken", "not an integer: tomorrow");
        recorder.Record(involved, "Warning", "InvalidRotationToken", "not an integer: tomorrow");
        recorder.Record(involved, "Warning", "InvalidRotationToken", "not an integer: later");

        var events = await Eventually.Until(
            EventsAsync, items => items.Count == 2 && items.Any(item => item.Count == 3), "a count of three and a separate event");
        var repeated = events.Single(item => item.Message.EndsWith("tomorrow", StringComparison.Ordinal));
        Assert.True(repeated.LastTimestamp >= repeated.FirstTimestamp);
        Assert.Equal(1, events.Single(item => item.Message.EndsWith("later", StringComparison.Ordinal)).Count);
    }
}
