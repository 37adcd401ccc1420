using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using SshTunnel.Core.Model;
using Kube.Controller.Sources;
using SshTunnel.Api;

namespace SshTunnel.Benchmarks.Cluster;

/// <summary>
/// Watches the connections of one namespace through the API, as a user would, and stamps the
/// moment (<see cref="Stopwatch"/> ticks) each awaited status first shows up. It survives
/// watches that the server ends, relisting when its resourceVersion has expired.
/// </summary>
internal sealed class StatusWatcher : IAsyncDisposable
{
    private readonly IKubernetes client;
    private readonly string ns;
    private readonly ConcurrentDictionary<string, PublishedKeys> keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Waiter> waiters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task running;

    private StatusWatcher(IKubernetes client, string ns)
    {
        this.client = client;
        this.ns = ns;
        running = Task.Run(() => RunAsync(stop.Token));
    }

    public static async Task<StatusWatcher> StartAsync(IKubernetes client, string ns, CancellationToken cancellationToken)
    {
        var watcher = new StatusWatcher(client, ns);
        await watcher.listed.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return watcher;
    }

    public PublishedKeys Keys(string name) => keys.GetValueOrDefault(name) ?? new PublishedKeys(null, null);

    /// <summary>Completes with the Stopwatch timestamp at which <paramref name="name"/>'s keys first satisfy <paramref name="done"/>.</summary>
    public Task<long> WhenAsync(string name, Func<PublishedKeys, bool> done)
    {
        var waiter = new Waiter(done);
        if (!waiters.TryAdd(name, waiter))
        {
            throw new InvalidOperationException($"{name} is already awaited");
        }

        Check(name, Keys(name));
        return waiter.Reached.Task;
    }

    /// <summary>
    /// The stamps of every one of <paramref name="reached"/> (from <see cref="WhenAsync"/>), or a
    /// timeout that says how many of <paramref name="what"/> were done within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<long[]> AllAsync(Task<long>[] reached, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(reached).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: only {reached.Count(task => task.IsCompleted):N0} of {reached.Length:N0} done within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Stops awaiting <paramref name="name"/> (after a timeout), so it can be awaited again.</summary>
    public void Forget(string name) => waiters.TryRemove(name, out _);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the loop.
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<SshTunnelConnection>>(
                        ResourceNames.Group, ResourceNames.Version, ns, ResourceNames.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                    foreach (var item in list.Items)
                    {
                        Record(item.Metadata.Name, new PublishedKeys(item.Status?.PublicKey1, item.Status?.PublicKey2));
                    }

                    resourceVersion = list.Metadata.ResourceVersion;
                    listed.TrySetResult();
                }

                resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // KubernetesClient reads the first line of a watch before yielding; a watch the
                // server ends before any event fails that read. It is an ordinary end: watch again.
            }
            catch (Exception e) when (e is HttpRequestException or IOException or HttpOperationException or KubernetesException)
            {
                await Console.Error.WriteLineAsync($"status watch: {e.Message}; watching again").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Follows one watch to its end; returns the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var response = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<SshTunnelConnection>>(
            ResourceNames.Group, ResourceNames.Version, ns, ResourceNames.Plural,
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: 60, watch: true, cancellationToken: cancellationToken);
        // The typed watch that resumes from a resourceVersion is only offered by this (obsolete) extension.
#pragma warning disable CS0618
        var events = response.WatchAsync<ObservedConnection, ResourceList<SshTunnelConnection>>(e => error ??= e, cancellationToken);
#pragma warning restore CS0618
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
            if (type is WatchEventType.Added or WatchEventType.Modified && item.Metadata?.Name is { } name)
            {
                Record(name, new PublishedKeys(item.Status?.PublicKey1, item.Status?.PublicKey2));
            }
        }

        return error switch
        {
            null => resourceVersion,
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => null,
            _ => throw error,
        };
    }

    private void Record(string name, PublishedKeys published)
    {
        keys[name] = published;
        Check(name, published);
    }

    private void Check(string name, PublishedKeys published)
    {
        if (waiters.TryGetValue(name, out var waiter) && waiter.Done(published) && waiters.TryRemove(new KeyValuePair<string, Waiter>(name, waiter)))
        {
            waiter.Reached.TrySetResult(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>One awaited condition on one connection's keys.</summary>
    private sealed record Waiter(Func<PublishedKeys, bool> Done)
    {
        public TaskCompletionSource<long> Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
