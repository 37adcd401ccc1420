using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Storage;

/// <summary>
/// The objects of one resource type, its watch history and its watchers. Reads are lock-free; a commit
/// takes the type's own lock only to stamp the resourceVersion, serialize and hand the event to watchers.
/// </summary>
internal sealed class ResourceStore(ResourceVersionClock clock, UidIndex uids, int historyLimit)
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, StoredObject> objects = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> history = new();
    private readonly List<Watcher> watchers = [];
    private readonly Dictionary<string, HashSet<string>> dependentsByOwner = new(StringComparer.Ordinal);
    private long compactedThrough;

    /// <summary>The resourceVersion of the latest change of this type.</summary>
    private long lastCommit;

    /// <summary>The objects sorted by key as of <see cref="lastCommit"/>: every page of a large list reuses them.</summary>
    private (long Version, StoredObject[] Items)? currentSorted;

    /// <summary>The objects sorted by key at the version of the latest continue token older than <see cref="lastCommit"/>.</summary>
    private (long Version, StoredObject[] Items)? pastSorted;

    public StoredObject? Get(string key) => objects.TryGetValue(key, out var found) ? found : null;

    /// <summary>The objects now, sorted by key.</summary>
    public ListSnapshot List(string? namespaceFilter)
    {
        lock (gate)
        {
            return new ListSnapshot(InScope(Current(), namespaceFilter), clock.Current);
        }
    }

    /// <summary>
    /// The objects as they were at <paramref name="version"/>, sorted by key: the snapshot a
    /// list's continue pages are served from, since the API server serves every page of a list
    /// from the snapshot of its first. Rebuilt from the objects now by undoing the changes the
    /// history holds after <paramref name="version"/>; null when the history no longer reaches
    /// back that far (the continue token has expired).
    /// </summary>
    public ListSnapshot? ListAt(string? namespaceFilter, long version)
    {
        lock (gate)
        {
            if (version < compactedThrough)
            {
                return null;
            }

            if (version >= lastCommit)
            {
                return new ListSnapshot(InScope(Current(), namespaceFilter), version);
            }

            if (pastSorted is not { } past || past.Version != version)
            {
                var state = new Dictionary<string, StoredObject>(objects, StringComparer.Ordinal);
                foreach (var change in history.Reverse().TakeWhile(change => change.ResourceVersion > version))
                {
                    if (change.Previous is { } previous)
                    {
                        state[previous.Key] = previous;
                    }
                    else
                    {
                        state.Remove(change.Current!.Key);
                    }
                }

                past = (version, Sorted(state.Values));
                pastSorted = past;
            }

            return new ListSnapshot(InScope(past.Items, namespaceFilter), version);
        }
    }

    public IReadOnlyList<string> DependentsOf(string ownerUid)
    {
        lock (gate)
        {
            return dependentsByOwner.TryGetValue(ownerUid, out var keys) ? [.. keys] : [];
        }
    }

    /// <summary>
    /// Commits <paramref name="replacement"/> (null deletes) if the key still holds <paramref name="expected"/>.
    /// Returns the committed object, or null when the key changed meanwhile (the caller re-reads and decides again).
    /// </summary>
    public StoredObject? TryCommit(string key, StoredObject? expected, JsonObject? replacement, JsonObject? tombstone = null)
    {
        lock (gate)
        {
            objects.TryGetValue(key, out var current);
            if (!ReferenceEquals(current, expected))
            {
                return null;
            }

            var version = clock.Next();
            WatchEvent watchEvent;
            StoredObject result;
            if (replacement is null)
            {
                var last = tombstone ?? expected!.Parse();
                last.Meta()["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                result = new StoredObject(key, last, version);
                objects.TryRemove(key, out _);
                uids.Remove(expected!.Uid);
                IndexOwners(expected!, null);
                watchEvent = new WatchEvent(WatchEventType.Deleted, result, expected, version);
            }
            else
            {
                replacement.Meta()["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                result = new StoredObject(key, replacement, version);
                objects[key] = result;
                uids.Add(result.Uid);
                IndexOwners(expected, result);
                watchEvent = new WatchEvent(expected is null ? WatchEventType.Added : WatchEventType.Modified, result, expected, version);
            }

            Record(watchEvent);
            return result;
        }
    }

    public WatchStart Watch(string? namespaceFilter, bool wantsBookmarks, long? fromVersion, bool sendInitialEvents, out long startVersion)
    {
        var watcher = new Watcher(namespaceFilter, wantsBookmarks);
        lock (gate)
        {
            startVersion = clock.Current;
            if (fromVersion is { } from && !sendInitialEvents)
            {
                if (from < compactedThrough)
                {
                    return new WatchStart(null, compactedThrough);
                }

                foreach (var past in history)
                {
                    if (past.ResourceVersion > from && watcher.Accepts(past.Current!))
                    {
                        watcher.Offer(past);
                    }
                }
            }
            else
            {
                var initial = objects.Values.Where(watcher.Accepts).ToArray();
                Array.Sort(initial, static (left, right) => left.ResourceVersion.CompareTo(right.ResourceVersion));
                foreach (var item in initial)
                {
                    watcher.Offer(new WatchEvent(WatchEventType.Added, item, null, item.ResourceVersion));
                }

                if (sendInitialEvents)
                {
                    watcher.Offer(new WatchEvent(WatchEventType.Bookmark, null, null, startVersion, initialEventsEnd: true));
                }
            }

            watchers.Add(watcher);
            return new WatchStart(watcher, compactedThrough);
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (gate)
        {
            watchers.Remove(watcher);
        }

        watcher.Close();
    }

    public void CloseWatches()
    {
        lock (gate)
        {
            foreach (var watcher in watchers)
            {
                watcher.Close();
            }

            watchers.Clear();
        }
    }

    /// <summary>Queues a bookmark behind every event already queued, so its resourceVersion never runs ahead of them.</summary>
    public void Bookmark()
    {
        lock (gate)
        {
            if (watchers.Count == 0)
            {
                return;
            }

            var bookmark = new WatchEvent(WatchEventType.Bookmark, null, null, clock.Current);
            foreach (var watcher in watchers)
            {
                if (watcher.WantsBookmarks)
                {
                    watcher.Offer(bookmark);
                }
            }
        }
    }

    public void Compact()
    {
        lock (gate)
        {
            history.Clear();
            compactedThrough = clock.Current;
        }
    }

    private static StoredObject[] Sorted(IEnumerable<StoredObject> items)
    {
        var sorted = items.ToArray();
        Array.Sort(sorted, static (left, right) => string.CompareOrdinal(left.Key, right.Key));
        return sorted;
    }

    private static StoredObject[] InScope(StoredObject[] sorted, string? namespaceFilter) =>
        namespaceFilter is null ? sorted : [.. sorted.Where(item => item.Namespace == namespaceFilter)];

    /// <summary>The objects now, sorted by key; call under the gate.</summary>
    private StoredObject[] Current()
    {
        if (currentSorted is not { } current || current.Version != lastCommit)
        {
            current = (lastCommit, Sorted(objects.Values));
            currentSorted = current;
        }

        return current.Items;
    }

    private void Record(WatchEvent watchEvent)
    {
        lastCommit = watchEvent.ResourceVersion;
        history.Enqueue(watchEvent);
        while (history.Count > historyLimit)
        {
            compactedThrough = history.Dequeue().ResourceVersion;
        }

        var subject = watchEvent.Current!;
        foreach (var watcher in watchers)
        {
            if (watcher.Accepts(subject))
            {
                watcher.Offer(watchEvent);
            }
        }
    }

    private void IndexOwners(StoredObject? before, StoredObject? after)
    {
        var oldOwners = before?.OwnerUids ?? [];
        var newOwners = after?.OwnerUids ?? [];
        if (oldOwners.SequenceEqual(newOwners))
        {
            return;
        }

        foreach (var owner in oldOwners)
        {
            if (dependentsByOwner.TryGetValue(owner, out var keys))
            {
                keys.Remove(before!.Key);
                if (keys.Count == 0)
                {
                    dependentsByOwner.Remove(owner);
                }
            }
        }

        foreach (var owner in newOwners)
        {
            if (!dependentsByOwner.TryGetValue(owner, out var keys))
            {
                keys = new HashSet<string>(StringComparer.Ordinal);
                dependentsByOwner[owner] = keys;
            }

            keys.Add(after!.Key);
        }
    }
}
