using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Tests.Fixtures;

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

        readiness.Set(true);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        readiness.Set(false);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_format()
    {
        OperatorMetrics.Reconciles.WithLabels("success").Inc();

        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("sshtunnel_reconciles_total{result=\"success\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE sshtunnel_reconcile_duration_seconds histogram", text, StringComparison.Ordinal);
    }
}
