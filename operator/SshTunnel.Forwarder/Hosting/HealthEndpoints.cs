using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Forwarder.Observability;

namespace SshTunnel.Forwarder.Hosting;

/// <summary>
/// <c>/healthz</c> (the process serves), <c>/readyz</c> (a session is authenticated; the body
/// says which key and whether the host key was verified, or the last error) and
/// <c>/metrics</c> on <c>--health-port</c>.
/// </summary>
public sealed class HealthEndpoints(int port, ForwarderStatus status) : IAsyncDisposable
{
    private WebApplication? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenAnyIP(port));
        app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => status.IsReady
            ? Results.Text(status.Detail)
            : Results.Text(status.Detail, statusCode: StatusCodes.Status503ServiceUnavailable));
        RuntimeHelpers.RunClassConstructor(typeof(ForwarderMetrics).TypeHandle);
        app.MapMetrics();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
