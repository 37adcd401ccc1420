using System.Collections.Concurrent;

namespace Kube.Emulator.Storage;

/// <summary>The uids of every stored object, so the garbage collector can tell a dangling owner reference from a live one.</summary>
internal sealed class UidIndex
{
    private readonly ConcurrentDictionary<string, byte> uids = new(StringComparer.Ordinal);

    public bool Contains(string uid) => uids.ContainsKey(uid);

    public void Add(string uid) => uids.TryAdd(uid, 0);

    public void Remove(string uid) => uids.TryRemove(uid, out _);
}
