using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// One event of a watch. <see cref="Object"/> is null for a bookmark, and for an ADDED or
/// MODIFIED event of a version the watcher said it already holds, which is then not decoded;
/// <see cref="ResourceVersion"/> is the event's version either way.
/// </summary>
public readonly record struct WatchedEvent<T>(WatchEventType Type, string ResourceVersion, T? Object)
    where T : class;
