using System.Net;
using Kube.Controller.Idle;
using Kube.Controller.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Operator.CommandLine;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The health and metrics endpoints over real HTTP.</summary>
public sealed class HealthServerTests : IAsyncLifetime
{
    private readonly Readiness readiness = new();
    private readonly OperatorMetrics metrics = new();
    private readonly RunningOperator running = new();
    private readonly int port = FreePort.Find();
    private readonly HttpClient http = new();
    private HealthServer server = null!;

    public async Task InitializeAsync()
    {
        server = new HealthServer(new BindAddress(IPAddress.Loopback, port), probes: true, scrape: true, readiness, metrics, running, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await server.StopAsync(CancellationToken.None);
        await server.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task Liveness_answers_at_once_and_readiness_follows_the_operator()
    {
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);

        readiness.Working();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);

        readiness.Synced();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        readiness.Stopping();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_format()
    {
        metrics.ConnectionController.ReconcileFinished(true, TimeSpan.FromMilliseconds(3));

        var scrape = await PrometheusScrape.FetchAsync(http, port);

        Assert.Equal(1, scrape.Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success"));
        Assert.Equal("histogram", scrape.TypeOf("controller_runtime_reconcile_time_seconds"));
        Assert.Equal(1, scrape.Value("controller_runtime_reconcile_time_seconds_count", "controller=sshtunnelconnection"));
    }

    [Fact]
    public async Task The_idle_endpoint_answers_for_the_working_operator_only()
    {
        var busy = await http.GetAsync("/debug/idle");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.StartsWith("busy: no operator is working", await busy.Content.ReadAsStringAsync());

        using var queue = new WorkQueue<string>(new WorkQueueOptions(), TimeProvider.System);
        using (running.Publish(new IdleSignal([], [queue], TimeProvider.System)))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/debug/idle")).StatusCode);
            Assert.Equal("idle", await http.GetStringAsync("/debug/idle?resourceVersion=42"));

            queue.Add("default/warehouse");
            var waiting = await http.GetAsync("/debug/idle");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
            Assert.Equal("busy: 1 key(s) waiting in the work queue", await waiting.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/debug/idle?resourceVersion=latest")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/debug/idle")).StatusCode);
    }

    [Fact]
    public async Task A_server_for_probes_only_does_not_serve_metrics_and_one_for_metrics_only_serves_no_probes()
    {
        var probesPort = FreePort.Find();
        var metricsPort = FreePort.Find();
        await using var probes = new HealthServer(new BindAddress(IPAddress.Loopback, probesPort), probes: true, scrape: false, readiness, metrics, running, NullLoggerFactory.Instance);
        await using var scrape = new HealthServer(new BindAddress(IPAddress.Loopback, metricsPort), probes: false, scrape: true, readiness, metrics, running, NullLoggerFactory.Instance);
        await probes.StartAsync(CancellationToken.None);
        await scrape.StartAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{probesPort}/metrics"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{probesPort}/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"))).StatusCode);
        await probes.StopAsync(CancellationToken.None);
        await scrape.StopAsync(CancellationToken.None);
    }
}
