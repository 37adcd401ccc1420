namespace Kube.Controller.Sources;

/// <summary>The result of a LIST: every object in scope and the resourceVersion to watch from.</summary>
public sealed record ResourceSnapshot<T>(IReadOnlyList<T> Items, string ResourceVersion);
