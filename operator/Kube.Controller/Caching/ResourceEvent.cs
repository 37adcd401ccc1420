namespace Kube.Controller.Caching;

/// <summary>A change an informer saw; for <see cref="ResourceEventType.Deleted"/>, the last known object.</summary>
public sealed record ResourceEvent<T>(ResourceEventType Type, T Object);
