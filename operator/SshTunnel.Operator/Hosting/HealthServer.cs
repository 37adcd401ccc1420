using System.Globalization;
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
/// serves), <c>/readyz</c> (caches synced and working), <c>/metrics</c> (Prometheus) and
/// <c>/debug/idle</c> (nothing left to do; for tests that assert that nothing happened).
/// </summary>
public sealed class HealthServer(
    int port,
    Readiness readiness,
    OperatorMetrics metrics,
    RunningOperator running,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    /// <summary>The query parameter of <c>/debug/idle</c> that names the resourceVersion the caches must have reached.</summary>
    public const string ResourceVersionParameter = "resourceVersion";

    private WebApplication? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenAnyIP(port));
        app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => readiness.IsReady ? Results.Text("ok") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics(registry: metrics.Registry);
        app.MapGet("/debug/idle", (HttpRequest request) => Idle(request.Query[ResourceVersionParameter]));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        loggerFactory.CreateLogger<HealthServer>().LogInformation("Serving /healthz, /readyz, /metrics and /debug/idle on port {Port}", port);
    }

    /// <summary>
    /// 200 <c>idle</c> when the working operator's caches have reached the resourceVersion (and
    /// its own writes) and nothing is queued, due, in flight, probing or unpublished; else 503
    /// <c>busy: </c> and what is pending. 400 for a resourceVersion that is not an integer.
    /// </summary>
    private IResult Idle(string? resourceVersion)
    {
        long? target = null;
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Results.Text(
                    $"{ResourceVersionParameter} must be a non-negative integer (a resourceVersion the API server returned), got '{resourceVersion}'",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            target = parsed;
        }

        if (running.Idle is not { } signal)
        {
            return Results.Text("busy: no operator is working (not leading, starting or stopping)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var report = signal.Check(target);
        return report.IsIdle
            ? Results.Text("idle")
            : Results.Text($"busy: {report.Pending}", statusCode: StatusCodes.Status503ServiceUnavailable);
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
