using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Operator.CommandLine;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// One HTTP server on one address: the probe endpoints (<c>--health-probe-bind-address</c>):
/// <c>/healthz</c> (the process serves), <c>/readyz</c> (caches synced and working) and
/// <c>/debug/idle</c> (nothing left to do; for tests that assert that nothing happened), and/or
/// the scrape endpoint <c>/metrics</c> (<c>--metrics-bind-address</c>); both when the two
/// addresses are the same.
/// </summary>
public sealed class HealthServer(
    BindAddress address,
    bool probes,
    bool scrape,
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
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (address.Host is { } host)
            {
                kestrel.Listen(host, address.Port);
            }
            else
            {
                kestrel.ListenAnyIP(address.Port);
            }
        });
        app = builder.Build();
        var paths = new List<string>();
        if (probes)
        {
            app.MapGet("/healthz", () => Results.Text("ok"));
            app.MapGet("/readyz", () => readiness.IsReady ? Results.Text("ok") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
            app.MapGet("/debug/idle", (HttpRequest request) => Idle(request.Query[ResourceVersionParameter]));
            paths.AddRange(["/healthz", "/readyz", "/debug/idle"]);
        }

        if (scrape)
        {
            app.MapMetrics(registry: metrics.Registry);
            paths.Add("/metrics");
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        loggerFactory.CreateLogger<HealthServer>().LogInformation("Serving {Paths} on {Address}", string.Join(", ", paths), address.ToString());
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
