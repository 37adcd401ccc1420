namespace Kube.Emulator.Storage;

/// <summary>Result of registering a watch: the watcher, or the compaction point when the requested version is too old.</summary>
internal sealed record WatchStart(Watcher? Watcher, long CompactedThrough);
