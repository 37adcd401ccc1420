using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Kube.Controller.Idle;
using Kube.Controller.Sources;
using Polly;

namespace Kube.Controller.Caching;

/// <summary>
/// Keeps an in-memory copy of one resource type: LIST, then WATCH from the list's
/// resourceVersion, resuming from the last version seen (bookmarks included), and relisting
/// when the server says that version has expired (410). Every change of resourceVersion is
/// reported, whatever changed: an annotation bump does not change generation and must still count.
/// </summary>
public sealed class Informer<T> : ICacheProgress where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ShortestHealthyWatch = TimeSpan.FromSeconds(1);

    private readonly IResourceSource<T> source;
    private readonly InformerOptions options;
    private readonly ResiliencePipeline apiPipeline;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Func<T, T>? compact;
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, T> cache = [];
    private readonly List<Action<ResourceEvent<T>>> handlers = [];
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, long> reached = [];
    private readonly Dictionary<ObjectKey, WriteInFlight> writesInFlight = [];
    private long ownWrites;
    private int scopesToSync;

    /// <param name="source">The LIST and WATCH calls of the type.</param>
    /// <param name="options">Scope, resync and retry backoff.</param>
    /// <param name="apiPipeline">Retries a failed LIST.</param>
    /// <param name="timeProvider">The clock of the backoff and the resync.</param>
    /// <param name="logger">Where relists and failures are logged.</param>
    /// <param name="compact">
    /// Converts every object received (each LIST page as it arrives, each watch event, each own
    /// write) into the view the cache keeps, e.g. a copy without the fields no reconcile reads;
    /// null keeps the objects as received.
    /// </param>
    public Informer(
        IResourceSource<T> source,
        InformerOptions options,
        ResiliencePipeline apiPipeline,
        TimeProvider timeProvider,
        ILogger logger,
        Func<T, T>? compact = null)
    {
        this.source = source;
        this.options = options;
        this.apiPipeline = apiPipeline;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.compact = compact;
        scopesToSync = Scopes.Count;
    }

    /// <summary>Completes once every scope has been listed.</summary>
    public Task Synced => synced.Task;

    private IReadOnlyList<string?> Scopes =>
        options.Namespaces.Count == 0 ? [null] : [.. options.Namespaces];

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>. Handlers run on the watch loop and must be quick.</summary>
    public void AddHandler(Action<ResourceEvent<T>> handler) => handlers.Add(handler);

    public T? Get(ObjectKey key)
    {
        lock (gate)
        {
            return cache.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (gate)
        {
            return [.. cache.Values];
        }
    }

    /// <summary>
    /// Announces that this process is about to write <paramref name="key"/>, until the returned
    /// scope is disposed. The API server sends a write's watch event as it answers the write, so
    /// the event often arrives before the writer can <see cref="Observe"/> its answer, and would
    /// then be reported as a change. Meanwhile watch events of the key still update the cache at
    /// once, but are reported only when the scope ends, and not at all when every one of them was
    /// the version the writer observed: its own write, which it already acted on. A write that
    /// failed observes nothing, so whatever arrived is reported then. Deletions are reported at once.
    /// </summary>
    public IDisposable BeginWrite(ObjectKey key)
    {
        lock (gate)
        {
            if (!writesInFlight.TryGetValue(key, out var write))
            {
                writesInFlight[key] = write = new WriteInFlight();
            }

            write.Writers++;
        }

        return new WriteScope(this, key);
    }

    /// <summary>
    /// Records an object this process just wrote over <paramref name="replacedVersion"/> (null
    /// for a create), so the next reconcile reads its own write instead of a version the watch
    /// has not yet replaced; the watch event that follows carries the same resourceVersion and
    /// is then not reported again. Nothing changes when the cache has moved on meanwhile (the
    /// watch already brought a newer version), so a newer version is never replaced by ours,
    /// and nothing is reported: the writer already acted on what it wrote.
    /// </summary>
    public void Observe(T written, string? replacedVersion)
    {
        written = Trim(written);
        var key = ObjectKey.Of(written);
        lock (gate)
        {
            ownWrites = Math.Max(ownWrites, Numeric(written.Metadata.ResourceVersion));
            if (writesInFlight.TryGetValue(key, out var write))
            {
                write.Observed = written.Metadata.ResourceVersion;
            }

            if (cache.GetValueOrDefault(key)?.Metadata.ResourceVersion == replacedVersion)
            {
                cache[key] = written;
            }
        }
    }

    /// <summary>
    /// Converts <paramref name="read"/>, a copy read from the API server (or a view of it the
    /// owner made again), into the cached view again when the cache holds that very version: for
    /// an owner whose conversion depends on what the process has learned since the cache
    /// converted it (the operator's Secret view records which key pairs are already checked).
    /// Nothing changes for any other version and nothing is reported: the object did not change.
    /// </summary>
    public void Refresh(T read)
    {
        read = Trim(read);
        var key = ObjectKey.Of(read);
        lock (gate)
        {
            if (HoldsVersion(key, read.Metadata.ResourceVersion))
            {
                cache[key] = read;
            }
        }
    }

    /// <summary>
    /// Behind until every scope is listed and its watch has delivered (events or bookmarks)
    /// <paramref name="resourceVersion"/> and every write of this process recorded through
    /// <see cref="Observe"/>, so that every handler call those versions cause has been made.
    /// resourceVersions are compared as the integers the API server hands out.
    /// </summary>
    public string? Behind(long resourceVersion)
    {
        lock (gate)
        {
            var target = Math.Max(resourceVersion, ownWrites);
            foreach (var scope in Scopes)
            {
                var at = reached.GetValueOrDefault(scope ?? "", -1);
                if (at < target)
                {
                    return at < 0
                        ? $"{typeof(T).Name} in {scope ?? "all namespaces"} not listed yet"
                        : $"{typeof(T).Name} in {scope ?? "all namespaces"} at resourceVersion {at}, waiting for {target}";
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The resourceVersion every scope has reached through lists, events and bookmarks: the
    /// API server had handed out at least this version when the cache last heard from it. -1
    /// until every scope is listed.
    /// </summary>
    public long Reached()
    {
        lock (gate)
        {
            return Scopes.Min(scope => reached.GetValueOrDefault(scope ?? "", -1));
        }
    }

    /// <summary>Runs until cancelled: one list-watch loop per namespace in scope, and the resync timer.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = Scopes.Select(scope => Task.Run(() => ListWatchAsync(scope, cancellationToken), cancellationToken)).ToList();
        if (options.ResyncPeriod > TimeSpan.Zero)
        {
            loops.Add(Task.Run(() => ResyncAsync(cancellationToken), cancellationToken));
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            synced.TrySetCanceled(cancellationToken);
        }
    }

    private async Task ListWatchAsync(string? scope, CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var listedOnce = false;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var listed = new Dictionary<ObjectKey, T>();
                    resourceVersion = await apiPipeline.ExecuteAsync(
                        async token =>
                        {
                            listed.Clear();
                            return await source.ListAsync(scope, page => Stage(listed, page), token).ConfigureAwait(false);
                        },
                        cancellationToken).ConfigureAwait(false);
                    Replace(scope, listed);
                    Reach(scope, resourceVersion);
                    if (!listedOnce)
                    {
                        listedOnce = true;
                        MarkScopeSynced();
                    }
                }

                var watchStarted = timeProvider.GetTimestamp();
                var (lastVersion, sawEvents, expired) = await WatchAsync(scope, resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = expired ? null : lastVersion;
                if (expired)
                {
                    logger.LogInformation("Watch of {Type} in {Scope} expired; relisting", typeof(T).Name, scope ?? "all namespaces");
                    failures = 0;
                    continue;
                }

                // As client-go's reflector: a watch that ends cleanly is renewed at once, unless it
                // lasted under a second with no event, which is a server failing fast: back off then.
                var healthy = sawEvents || timeProvider.GetElapsedTime(watchStarted) >= ShortestHealthyWatch;
                failures = healthy ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                continue;
            }
            catch (Exception e)
            {
                failures++;
                logger.LogWarning(e, "List or watch of {Type} in {Scope} failed; retrying", typeof(T).Name, scope ?? "all namespaces");
            }

            if (failures > 0)
            {
                await Task.Delay(options.RetryBackoff.After(failures), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static long Numeric(string? resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>Records that the handlers of every change up to <paramref name="resourceVersion"/> in the scope have run.</summary>
    private void Reach(string? scope, string resourceVersion)
    {
        lock (gate)
        {
            var key = scope ?? "";
            reached[key] = Math.Max(reached.GetValueOrDefault(key), Numeric(resourceVersion));
        }
    }

    private async Task<(string ResourceVersion, bool SawEvents, bool Expired)> WatchAsync(
        string? scope, string resourceVersion, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var sawEvents = false;
        var events = source.WatchAsync(scope, resourceVersion, options.WatchTimeout, IsHeld, e => error ??= e, cancellationToken);
        await foreach (var watched in events.ConfigureAwait(false))
        {
            sawEvents = true;
            resourceVersion = watched.ResourceVersion.Length > 0 ? watched.ResourceVersion : resourceVersion;
            switch (watched.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified when watched.Object is { } resource:
                    Upsert(resource);
                    break;
                case WatchEventType.Deleted when watched.Object is { } resource:
                    Remove(resource);
                    break;
                default:
                    // A bookmark, or this process's own write (recorded by Observe), which the source did not decode.
                    break;
            }

            Reach(scope, resourceVersion);
        }

        return error switch
        {
            null => (resourceVersion, sawEvents, false),
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => (resourceVersion, sawEvents, true),
            _ => throw new InvalidOperationException($"Watch of {typeof(T).Name} failed: {error.Message}", error),
        };
    }

    private void Upsert(T received)
    {
        var key = ObjectKey.Of(received);
        var resource = Trim(received);
        ResourceEventType type;
        lock (gate)
        {
            if (cache.TryGetValue(key, out var existing))
            {
                if (existing.Metadata.ResourceVersion == resource.Metadata.ResourceVersion)
                {
                    return;
                }

                type = ResourceEventType.Updated;
            }
            else
            {
                type = ResourceEventType.Added;
            }

            cache[key] = resource;
            if (writesInFlight.TryGetValue(key, out var write))
            {
                write.Defer(new ResourceEvent<T>(type, resource));
                return;
            }
        }

        Notify(new ResourceEvent<T>(type, resource));
    }

    private void EndWrite(ObjectKey key)
    {
        ResourceEvent<T>? report;
        lock (gate)
        {
            var write = writesInFlight[key];
            if (--write.Writers > 0)
            {
                return;
            }

            writesInFlight.Remove(key);
            report = write.Report();
        }

        if (report is not null)
        {
            Notify(report);
        }
    }

    private void Remove(T resource)
    {
        lock (gate)
        {
            cache.Remove(ObjectKey.Of(resource));
        }

        Notify(new ResourceEvent<T>(ResourceEventType.Deleted, resource));
    }

    /// <summary>Converts one page of a LIST into cached views as it arrives, so the page's full objects can go at once.</summary>
    private void Stage(Dictionary<ObjectKey, T> listed, ResourcePage<T> page)
    {
        if (page.First)
        {
            listed.Clear();
        }

        foreach (var item in page.Items)
        {
            var view = Trim(item);
            listed[ObjectKey.Of(view)] = view;
        }
    }

    private void Replace(string? scope, Dictionary<ObjectKey, T> fresh)
    {
        var changes = new List<ResourceEvent<T>>();
        lock (gate)
        {
            var gone = cache.Where(entry => (scope is null || entry.Key.Namespace == scope) && !fresh.ContainsKey(entry.Key)).ToList();
            foreach (var (key, resource) in gone)
            {
                cache.Remove(key);
                changes.Add(new ResourceEvent<T>(ResourceEventType.Deleted, resource));
            }

            foreach (var (key, resource) in fresh)
            {
                if (cache.TryGetValue(key, out var existing))
                {
                    if (existing.Metadata.ResourceVersion != resource.Metadata.ResourceVersion)
                    {
                        changes.Add(new ResourceEvent<T>(ResourceEventType.Updated, resource));
                    }
                }
                else
                {
                    changes.Add(new ResourceEvent<T>(ResourceEventType.Added, resource));
                }

                cache[key] = resource;
            }
        }

        foreach (var change in changes)
        {
            Notify(change);
        }
    }

    /// <summary>
    /// Drops managedFields, which no reconcile reads and which can outweigh the object itself;
    /// an update sent without them leaves the server's copy unchanged. Then converts the object
    /// into the owner's compact view, since every cached object stays in memory until its next
    /// version; the full object received is then garbage at once, before it can age.
    /// </summary>
    private T Trim(T resource)
    {
        resource.Metadata.ManagedFields = null;
        return compact is null ? resource : compact(resource);
    }

    /// <summary>
    /// Whether the cache holds <paramref name="key"/> at exactly <paramref name="resourceVersion"/>:
    /// the watch event of a version this process wrote and recorded (<see cref="Observe"/>) is
    /// then not even decoded.
    /// </summary>
    private bool IsHeld(ObjectKey key, string resourceVersion)
    {
        lock (gate)
        {
            return HoldsVersion(key, resourceVersion);
        }
    }

    /// <summary>Whether the cache holds <paramref name="key"/> at exactly <paramref name="resourceVersion"/>; called under the gate.</summary>
    private bool HoldsVersion(ObjectKey key, string? resourceVersion) =>
        cache.TryGetValue(key, out var held) && held.Metadata.ResourceVersion == resourceVersion;

    private void MarkScopeSynced()
    {
        if (Interlocked.Decrement(ref scopesToSync) == 0)
        {
            synced.TrySetResult();
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.ResyncPeriod, timeProvider, cancellationToken).ConfigureAwait(false);
            foreach (var resource in List())
            {
                Notify(new ResourceEvent<T>(ResourceEventType.Resync, resource));
            }
        }
    }

    private void Notify(ResourceEvent<T> change)
    {
        foreach (var handler in handlers)
        {
            handler(change);
        }
    }

    /// <summary>The watch events of a key that arrived while this process wrote it, and the version the write produced.</summary>
    private sealed class WriteInFlight
    {
        private readonly List<string?> versions = [];
        private ResourceEvent<T>? latest;
        private bool added;

        public int Writers { get; set; }

        public string? Observed { get; set; }

        public void Defer(ResourceEvent<T> change)
        {
            versions.Add(change.Object.Metadata.ResourceVersion);
            added |= change.Type == ResourceEventType.Added;
            latest = change;
        }

        /// <summary>The change to report: the latest event (an addition if any was), unless every event was the observed write.</summary>
        public ResourceEvent<T>? Report() =>
            latest is null || versions.TrueForAll(version => version == Observed)
                ? null
                : latest with { Type = added ? ResourceEventType.Added : latest.Type };
    }

    private sealed class WriteScope(Informer<T> informer, ObjectKey key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                informer.EndWrite(key);
            }
        }
    }
}
