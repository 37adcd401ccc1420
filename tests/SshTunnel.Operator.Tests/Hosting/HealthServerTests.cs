using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Tests.Observability;
using SshTunnel.Testing.Network;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The health and metrics endpoints over real HTTP.</summary>
public sealed class HealthServerTests : IAsyncLifetime
{
    private readonly Readiness readiness = new();
    private readonly int port = FreePort.Find();
    private readonly HttpClient http = new();
    private HealthServer server = null!;

    public async Task InitializeAsync()
    {
        server = new HealthServer(port, readiness, NullLoggerFactory.Instance);
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
        OperatorMetrics.Reconciles.WithLabels("success").Inc();

        var scrape = await PrometheusScrape.FetchAsync(http, port);

        Assert.True(scrape.Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success") >= 1);
        Assert.Equal("histogram", scrape.TypeOf("controller_runtime_reconcile_time_seconds"));
    }
}
