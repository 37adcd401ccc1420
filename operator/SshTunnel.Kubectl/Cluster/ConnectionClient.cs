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

    /// <summary>How many times a write whose precondition failed only because of unrelated changes is tried again.</summary>
    private const int AnnotationAttempts = 5;

    /// <summary>
    /// Sets one annotation with the resourceVersion read as precondition, so two users who bump at
    /// the same time never both succeed with values computed from the same state. A conflict caused
    /// by any other change (the operator's status writes, most often) is tried again on a fresh read,
    /// as long as the annotation still holds the value <paramref name="value"/> was computed from.
    /// </summary>
    public async Task<SshTunnelConnection> SetAnnotationAsync(SshTunnelConnection connection, string annotation, string value, CancellationToken cancellation)
    {
        var name = connection.Metadata.Name;
        var readValue = AnnotationValue(connection, annotation);
        var current = connection;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PatchAnnotationAsync(current, annotation, value, cancellation);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
            {
                current = await GetAsync(name, cancellation);
                var nowValue = AnnotationValue(current, annotation);
                if (nowValue != readValue)
                {
                    throw new PluginException($"SshTunnelConnection {namespaceName}/{name} got {annotation}={nowValue ?? "(none)"} from someone else while the plugin was writing it; nothing was written, run the command again");
                }

                if (attempt == AnnotationAttempts)
                {
                    throw new PluginException($"SshTunnelConnection {namespaceName}/{name} kept changing while the plugin was writing {annotation} ({AnnotationAttempts} attempts); nothing was written, run the command again");
                }
            }
        }
    }

    private static string? AnnotationValue(SshTunnelConnection connection, string annotation) =>
        connection.Metadata.Annotations?.TryGetValue(annotation, out var value) == true ? value : null;

    private async Task<SshTunnelConnection> PatchAnnotationAsync(SshTunnelConnection connection, string annotation, string value, CancellationToken cancellation)
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
