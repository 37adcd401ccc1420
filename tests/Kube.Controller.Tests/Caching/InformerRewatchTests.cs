using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Kube.Controller.Caching;
using Kube.Controller.Sources;
using Kube.Controller.Tests.Support;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Time;

namespace Kube.Controller.Tests.Caching;

/// <summary>
/// When the informer renews a watch the server ended: at once after a watch that lived, with
/// backoff after one that ended within a second without an event (client-go's "very short
/// watch"). The informer's clock is fake and its retry delay an hour, so any backoff stalls it.
/// </summary>
public sealed class InformerRewatchTests : IAsyncLifetime
{
    private readonly RecordingTimeProvider time = new();
    private readonly CancellationTokenSource stop = new();
    private EmulatedCluster cluster = null!;
    private CountingSource<V1Secret> source = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false, bookmarkInterval: TimeSpan.FromHours(1));
        source = new CountingSource<V1Secret>(ResourceSources.Secrets(cluster.ControllerClient, "app.kubernetes.io/managed-by=ssh-tunnel-operator"));
        var informer = new Informer<V1Secret>(
            source,
            new InformerOptions { ResyncPeriod = TimeSpan.Zero, RetryBackoff = new(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) },
            Polly.ResiliencePipeline.Empty,
            time,
            NullLogger.Instance);
        running = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.Until(() => source.Watches >= 1, "the first watch");
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_watch_that_lived_is_renewed_at_once_when_the_server_ends_it()
    {
        time.Advance(TimeSpan.FromSeconds(2));

        await Eventually.Until(
            () =>
            {
                cluster.Control.CloseAllWatches();
                return source.Watches >= 2;
            },
            "a second watch without waiting out the retry delay");
    }

    [Fact]
    public async Task A_watch_ended_within_a_second_without_events_is_retried_after_the_delay()
    {
        // Closed until the informer starts waiting out its retry delay (closing again covers a
        // watch still being registered); on the fake clock the watch lasted no time at all.
        await Eventually.Until(
            () =>
            {
                cluster.Control.CloseAllWatches();
                return time.DueTimes.Contains(TimeSpan.FromHours(1));
            },
            "the informer to wait out the one-hour retry delay");

        Assert.Equal(1, source.Watches);

        time.Advance(TimeSpan.FromHours(1));

        await Eventually.Until(() => source.Watches >= 2, "the watch renewed once the delay passed");
    }
}

