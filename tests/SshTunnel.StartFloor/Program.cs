using System.Globalization;
using k8s;
using SshTunnel.Core.Model;
using Kube.Controller.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SshTunnel.Api;
using SshTunnel.Core.Secrets;

// Usage: SshTunnel.StartFloor --server URL --health-port N
// Serves /readyz (503, then 200 once both LISTs are read) on 127.0.0.1:N, until killed.
const int PageSize = 500;
var server = Argument("--server");
var port = int.Parse(Argument("--health-port"), CultureInfo.InvariantCulture);
var client = new Kubernetes(new KubernetesClientConfiguration { Host = server });

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(kestrel => kestrel.ListenLocalhost(port));
var app = builder.Build();
var ready = false;
app.MapGet("/readyz", () => Volatile.Read(ref ready) ? Results.Text("ok") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
await app.StartAsync();

// Both LISTs at once and in pages of 500, as the operator's two informers read them.
await Task.WhenAll(
    ReadAllAsync(async (continueToken, token) =>
    {
        var page = await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ResourceList<SshTunnelConnection>>(
            ResourceNames.Group, ResourceNames.Version, ResourceNames.Plural, continueParameter: continueToken, limit: PageSize, cancellationToken: token);
        return (page.Items.Count, page.Metadata.ContinueProperty);
    }),
    ReadAllAsync(async (continueToken, token) =>
    {
        var page = await client.CoreV1.ListSecretForAllNamespacesAsync(
            continueParameter: continueToken, labelSelector: KeySecretLayout.ManagedBySelector, limit: PageSize, cancellationToken: token);
        return (page.Items.Count, page.Metadata.ContinueProperty);
    }));
Volatile.Write(ref ready, true);
Console.WriteLine("Start floor ready");
await app.WaitForShutdownAsync();
return 0;

string Argument(string flag)
{
    var index = Array.IndexOf(args, flag);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"usage: SshTunnel.StartFloor --server URL --health-port N ({flag} is missing)");
}

static async Task<int> ReadAllAsync(Func<string?, CancellationToken, Task<(int Count, string? Continue)>> readPage)
{
    var total = 0;
    string? continueToken = null;
    do
    {
        var (count, next) = await readPage(continueToken, CancellationToken.None);
        total += count;
        continueToken = string.IsNullOrEmpty(next) ? null : next;
    }
    while (continueToken is not null);

    return total;
}
