namespace Kube.Emulator.Storage;

/// <summary>The objects of a type at one resourceVersion, sorted by key.</summary>
internal sealed record ListSnapshot(IReadOnlyList<StoredObject> Items, long ResourceVersion);
