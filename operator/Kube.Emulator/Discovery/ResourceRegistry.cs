using System.Collections.Concurrent;
using Kube.Emulator.Storage;

namespace Kube.Emulator.Discovery;

/// <summary>
/// Every served resource type, looked up lock-free through an immutable snapshot that is replaced
/// when CRDs come and go; stores are shared by all versions of one group and resource.
/// </summary>
internal sealed class ResourceRegistry(ResourceVersionClock clock, int historyLimit)
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, ResourceStore> stores = new(StringComparer.Ordinal);
    private readonly List<string> groupOrder = [];
    private volatile RegistrySnapshot snapshot = RegistrySnapshot.Empty;

    public ResourceVersionClock Clock { get; } = clock;

    public UidIndex Uids { get; } = new();

    public ResourceStore StoreFor(string group, string plural) =>
        stores.GetOrAdd(plural + "." + group, _ => new ResourceStore(Clock, Uids, historyLimit));

    public IReadOnlyList<ResourceType> All => snapshot.Types;

    public ResourceType? Find(string group, string version, string plural) =>
        snapshot.ByPath.TryGetValue(group + "/" + version + "/" + plural, out var type) ? type : null;

    /// <summary>Served groups in discovery order, each with its versions, preferred first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups => snapshot.Groups;

    public IReadOnlyList<ResourceType> InGroupVersion(string group, string version) =>
        snapshot.ByGroupVersion.TryGetValue(group + "/" + version, out var types) ? types : [];

    public void Add(IEnumerable<ResourceType> types)
    {
        lock (gate)
        {
            var list = snapshot.Types.ToList();
            foreach (var type in types)
            {
                list.RemoveAll(existing => existing.Group == type.Group && existing.Version == type.Version && existing.Plural == type.Plural);
                list.Add(type);
                if (!groupOrder.Contains(type.Group))
                {
                    groupOrder.Add(type.Group);
                }
            }

            snapshot = RegistrySnapshot.Build(list, groupOrder);
        }
    }

    /// <summary>Replaces every type of one CRD with <paramref name="types"/> (none when the CRD is gone).</summary>
    public void ReplaceCrd(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (gate)
        {
            var list = snapshot.Types.Where(type => type.CrdName != crdName).ToList();
            list.AddRange(types);
            foreach (var type in types)
            {
                if (!groupOrder.Contains(type.Group))
                {
                    groupOrder.Add(type.Group);
                }
            }

            snapshot = RegistrySnapshot.Build(list, groupOrder);
        }
    }

    public IEnumerable<ResourceStore> Stores => stores.Values;

    public void CloseAllWatches()
    {
        foreach (var store in stores.Values)
        {
            store.CloseWatches();
        }
    }

    public void CompactAll()
    {
        foreach (var store in stores.Values)
        {
            store.Compact();
        }
    }

    /// <summary>One distinct (store, type) pair per stored resource: the type used to address the store's objects.</summary>
    public IEnumerable<ResourceType> StorageTypes() =>
        snapshot.Types.GroupBy(type => type.Store).Select(group => group.First());

    private sealed record RegistrySnapshot(
        IReadOnlyList<ResourceType> Types,
        IReadOnlyDictionary<string, ResourceType> ByPath,
        IReadOnlyDictionary<string, IReadOnlyList<ResourceType>> ByGroupVersion,
        IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups)
    {
        public static readonly RegistrySnapshot Empty = Build([], []);

        public static RegistrySnapshot Build(IReadOnlyList<ResourceType> types, IReadOnlyList<string> groupOrder)
        {
            var byPath = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            foreach (var type in types)
            {
                byPath[type.Group + "/" + type.Version + "/" + type.Plural] = type;
            }

            var byGroupVersion = types
                .GroupBy(type => type.Group + "/" + type.Version)
                .ToDictionary(group => group.Key, group => (IReadOnlyList<ResourceType>)[.. group], StringComparer.Ordinal);
            var groups = groupOrder
                .Select(group => (group, (IReadOnlyList<string>)[.. types.Where(type => type.Group == group).Select(type => type.Version).Distinct().Order(VersionPriority.Instance)]))
                .Where(entry => entry.Item2.Count > 0)
                .ToList();
            return new RegistrySnapshot(types, byPath, byGroupVersion, groups);
        }
    }
}
