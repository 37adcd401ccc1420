using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Storage;
using Kube.Emulator.Strategies;

namespace Kube.Emulator.Lifecycle;

/// <summary>
/// The garbage collector and namespace controller in one background loop: dependents of deleted owners go
/// (found through each store's owner index), foreground and orphan finalizers are carried out, and a
/// terminating namespace is emptied and then removed.
/// </summary>
internal sealed class GarbageCollector(ObjectService objects)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);
    private readonly Channel<(Func<bool> Step, TimeSpan Retry)> work = Channel.CreateUnbounded<(Func<bool>, TimeSpan)>(new UnboundedChannelOptions { SingleReader = true });

    public void Deleted(ResourceType type, StoredObject gone) => Enqueue(() => CollectDependents(gone.Uid));

    /// <summary>A dependent whose owners are all gone is collected; one that lost only some owners drops those references.</summary>
    public void OwnersChanged(ResourceType type, StoredObject dependent) => Enqueue(() => CheckOwners(type, dependent.Key));

    public void Terminating(ResourceType type, StoredObject obj)
    {
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            Enqueue(() => EmptyNamespace(type, obj.Name));
            return;
        }

        var finalizers = obj.Finalizers;
        if (finalizers.Contains(CrdStrategy.CleanupFinalizer) && type.CrdName is null && type.Plural == "customresourcedefinitions")
        {
            Enqueue(() => CleanUpCrd(type, obj.Name));
        }

        if (finalizers.Contains("orphan"))
        {
            Enqueue(() => Orphan(type, obj));
        }

        if (finalizers.Contains("foregroundDeletion"))
        {
            Enqueue(() => Foreground(type, obj));
        }
    }

    private void Enqueue(Func<bool> step) => work.Writer.TryWrite((step, FirstRetry));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (step, retry) in work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                bool done;
                try
                {
                    done = step();
                }
                catch (ApiException)
                {
                    done = false;
                }

                // Work that waits on others (finalizers, dependents) backs off, so a namespace stuck terminating costs little.
                if (!done)
                {
                    var next = retry * 2 < LastRetry ? retry * 2 : LastRetry;
                    _ = Task.Delay(retry, cancellationToken).ContinueWith(_ => work.Writer.TryWrite((step, next)), TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }

    private bool CollectDependents(string ownerUid)
    {
        foreach (var type in objects.Registry.StorageTypes())
        {
            foreach (var key in type.Store.DependentsOf(ownerUid))
            {
                var dependent = type.Store.Get(key);
                if (dependent is null)
                {
                    continue;
                }

                if (dependent.OwnerUids.Count > 1)
                {
                    DropOwnerReference(type, dependent, ownerUid);
                }
                else if (!dependent.IsTerminating)
                {
                    TryDelete(type, dependent);
                }
            }
        }

        return true;
    }

    private bool CleanUpCrd(ResourceType crds, string name)
    {
        var crd = crds.Store.Get(name);
        if (crd is null)
        {
            return true;
        }

        var resources = objects.Registry.All.FirstOrDefault(type => type.CrdName == name);
        var remaining = 0;
        if (resources is not null)
        {
            foreach (var item in resources.Store.List(null).Items)
            {
                remaining++;
                if (!item.IsTerminating)
                {
                    TryDelete(resources, item);
                }
            }
        }

        return remaining == 0 && RemoveFinalizer(crds, crd, CrdStrategy.CleanupFinalizer);
    }

    private bool CheckOwners(ResourceType type, string key)
    {
        var dependent = type.Store.Get(key);
        if (dependent is null || dependent.IsTerminating)
        {
            return true;
        }

        var gone = dependent.OwnerUids.Where(uid => !objects.Registry.Uids.Contains(uid)).ToList();
        if (gone.Count == dependent.OwnerUids.Count)
        {
            TryDelete(type, dependent);
        }
        else
        {
            foreach (var uid in gone)
            {
                DropOwnerReference(type, type.Store.Get(key) ?? dependent, uid);
            }
        }

        return true;
    }

    private bool Foreground(ResourceType type, StoredObject owner)
    {
        var remaining = 0;
        foreach (var dependentType in objects.Registry.StorageTypes())
        {
            foreach (var key in dependentType.Store.DependentsOf(owner.Uid))
            {
                remaining++;
                if (dependentType.Store.Get(key) is { IsTerminating: false } dependent)
                {
                    TryDelete(dependentType, dependent);
                }
            }
        }

        return remaining == 0 && RemoveFinalizer(type, owner, "foregroundDeletion");
    }

    private bool Orphan(ResourceType type, StoredObject owner)
    {
        foreach (var dependentType in objects.Registry.StorageTypes())
        {
            foreach (var key in dependentType.Store.DependentsOf(owner.Uid))
            {
                if (dependentType.Store.Get(key) is { } dependent)
                {
                    DropOwnerReference(dependentType, dependent, owner.Uid);
                }
            }
        }

        return RemoveFinalizer(type, owner, "orphan");
    }

    private bool EmptyNamespace(ResourceType namespaces, string name)
    {
        var remaining = 0;
        foreach (var type in objects.Registry.StorageTypes().Where(type => type.Namespaced))
        {
            foreach (var item in type.Store.List(name).Items)
            {
                remaining++;
                if (!item.IsTerminating)
                {
                    TryDelete(type, item);
                }
            }
        }

        if (remaining > 0)
        {
            return false;
        }

        var current = namespaces.Store.Get(name);
        if (current is null)
        {
            return true;
        }

        if (current.Finalizers.Count > 0)
        {
            return false;
        }

        return namespaces.Store.TryCommit(name, current, null) is not null || namespaces.Store.Get(name) is null;
    }

    private bool RemoveFinalizer(ResourceType type, StoredObject owner, string finalizer)
    {
        if (type.Store.Get(owner.Key) is null)
        {
            return true;
        }

        objects.Update(type, owner.Namespace, owner.Name, null, current =>
        {
            var copy = current.Parse();
            var metadata = copy.Meta();
            metadata["finalizers"] = new JsonArray([.. metadata.GetStrings("finalizers").Where(item => item != finalizer).Select(item => (JsonNode?)item)]);
            return copy;
        }, WriteOptions.Internal("garbage-collector"));
        return true;
    }

    private void DropOwnerReference(ResourceType type, StoredObject dependent, string ownerUid) =>
        objects.Update(type, dependent.Namespace, dependent.Name, null, current =>
        {
            var copy = current.Parse();
            var metadata = copy.Meta();
            var kept = metadata.GetArray("ownerReferences")?.OfType<JsonObject>().Where(owner => owner.GetString("uid") != ownerUid).Select(owner => (JsonNode?)owner.DeepClone()).ToArray() ?? [];
            if (kept.Length == 0)
            {
                metadata.Remove("ownerReferences");
            }
            else
            {
                metadata["ownerReferences"] = new JsonArray(kept);
            }

            return copy;
        }, WriteOptions.Internal("garbage-collector"));

    private void TryDelete(ResourceType type, StoredObject item)
    {
        try
        {
            objects.Delete(type, item.Namespace, item.Name, DeleteRequest.Background);
        }
        catch (ApiException)
        {
            return;
        }
    }
}
