using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Cluster;

/// <summary>The reads and writes the plugin makes on one namespace: connections, their annotations and key Secrets.</summary>
public sealed class ConnectionClient(IKubernetes client, string namespaceName) : IDisposable
{
    /// <summary>How often a wait reads the connection again.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public string Namespace => namespaceName;

    public async Task<SshTunnelConnection> GetAsync(string name, CancellationToken cancellation) =>
        await CallAsync(
            name,
            "SshTunnelConnection",
            () => client.CustomObjects.GetNamespacedCustomObjectAsync<SshTunnelConnection>(
                ResourceNames.Group, ResourceNames.Version, namespaceName, ResourceNames.Plural, name, cancellation));

    public async Task<V1Secret> GetKeySecretAsync(string name, CancellationToken cancellation)
    {
        var secretName = KeySecretLayout.SecretName(name);
        return await CallAsync(secretName, "Secret", () => client.CoreV1.ReadNamespacedSecretAsync(secretName, namespaceName, cancellationToken: cancellation));
    }

    /// <summary>
    /// Sets one annotation with the resourceVersion read as precondition, so two users who bump at
    /// the same time never both succeed with values computed from the same state.
    /// </summary>
    public async Task<SshTunnelConnection> SetAnnotationAsync(SshTunnelConnection connection, string annotation, string value, CancellationToken cancellation)
    {
        var name = connection.Metadata.Name;
        var patch = new
        {
            metadata = new
            {
                resourceVersion = connection.Metadata.ResourceVersion,
                annotations = new Dictionary<string, string> { [annotation] = value },
            },
        };
        try
        {
            return await CallAsync(
                name,
                "SshTunnelConnection",
                () => client.CustomObjects.PatchNamespacedCustomObjectAsync<SshTunnelConnection>(
                    new V1Patch(patch, V1Patch.PatchType.MergePatch),
                    ResourceNames.Group,
                    ResourceNames.Version,
                    namespaceName,
                    ResourceNames.Plural,
                    name,
                    cancellationToken: cancellation));
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new PluginException($"SshTunnelConnection {namespaceName}/{name} changed while the plugin was writing {annotation}; nothing was written, run the command again");
        }
    }

    /// <summary>
    /// Reads the connection until <paramref name="done"/> holds, handing every version read to
    /// <paramref name="observe"/>; throws a <see cref="PluginException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task<SshTunnelConnection> WaitAsync(
        string name,
        Func<SshTunnelConnection, bool> done,
        Action<SshTunnelConnection> observe,
        string what,
        TimeSpan timeout,
        CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(PollInterval);
        SshTunnelConnection? last = null;
        try
        {
            while (true)
            {
                last = await GetAsync(name, deadline.Token);
                observe(last);
                if (done(last))
                {
                    return last;
                }

                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            var ready = last?.Status?.Conditions.FirstOrDefault(condition => condition.Type == ConditionTypes.Ready);
            var state = ready is null ? "" : $"; Ready is {ready.Status} ({ready.Reason}): {ready.Message}";
            throw new PluginException($"timed out after {DurationText.Format(timeout)} waiting for {what}{state}");
        }
    }

    public void Dispose() => client.Dispose();

    private async Task<T> CallAsync<T>(string name, string kind, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new PluginException($"{kind} {name} not found in namespace {namespaceName}");
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new PluginException($"the API server refused access to {kind} {namespaceName}/{name}: {exception.Response.Content}");
        }
        catch (HttpRequestException exception)
        {
            throw new PluginException($"cannot reach the API server: {exception.Message}");
        }
    }
}
