using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The probe and scrape endpoints on <c>--health-port</c>: <c>/healthz</c> (the process
/// serves), <c>/readyz</c> (caches synced and working) and <c>/metrics</c> (Prometheus).
/// </summary>
public sealed class HealthServer(int port, Readiness readiness, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenAnyIP(port));
        app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => readiness.IsReady ? Results.Text("ok") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        // Creating the metrics up front exports them (at zero) from the first scrape on.
        RuntimeHelpers.RunClassConstructor(typeof(OperatorMetrics).TypeHandle);
        app.MapMetrics();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        loggerFactory.CreateLogger<HealthServer>().LogInformation("Serving /healthz, /readyz and /metrics on port {Port}", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
