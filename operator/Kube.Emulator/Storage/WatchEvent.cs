using System.Text;

namespace Kube.Emulator.Storage;

/// <summary>A change of one object, shared by every watcher of its resource type; its wire form is built once.</summary>
internal sealed class WatchEvent(WatchEventType type, StoredObject? current, StoredObject? previous, long resourceVersion, bool initialEventsEnd = false)
{
    private static readonly byte[] AddedPrefix = Encoding.UTF8.GetBytes("{\"type\":\"ADDED\",\"object\":");
    private static readonly byte[] ModifiedPrefix = Encoding.UTF8.GetBytes("{\"type\":\"MODIFIED\",\"object\":");
    private static readonly byte[] DeletedPrefix = Encoding.UTF8.GetBytes("{\"type\":\"DELETED\",\"object\":");
    private byte[]? line;

    public WatchEventType Type { get; } = type;

    /// <summary>The object after the change; for a deletion, its last state stamped with the deletion's resourceVersion.</summary>
    public StoredObject? Current { get; } = current;

    /// <summary>The object before the change, for selector transitions.</summary>
    public StoredObject? Previous { get; } = previous;

    public long ResourceVersion { get; } = resourceVersion;

    /// <summary>Whether this bookmark marks the end of the initial events (sendInitialEvents).</summary>
    public bool InitialEventsEnd { get; } = initialEventsEnd;

    /// <summary>The JSON line of this event, newline-terminated.</summary>
    public byte[] Line => line ??= BuildLine(Type, Current!.Json);

    public static byte[] BuildLine(WatchEventType type, byte[] objectJson)
    {
        var prefix = type switch
        {
            WatchEventType.Added => AddedPrefix,
            WatchEventType.Modified => ModifiedPrefix,
            WatchEventType.Deleted => DeletedPrefix,
            _ => Encoding.UTF8.GetBytes("{\"type\":\"BOOKMARK\",\"object\":"),
        };
        var bytes = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(bytes, 0);
        objectJson.CopyTo(bytes, prefix.Length);
        bytes[^2] = (byte)'}';
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
