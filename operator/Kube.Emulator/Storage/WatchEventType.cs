namespace Kube.Emulator.Storage;

/// <summary>Types of watch events, spelled as on the wire.</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
