namespace Kube.Controller.Sources;

/// <summary>One page of a LIST, handed over as it arrives.</summary>
/// <param name="Items">The page's objects.</param>
/// <param name="First">
/// Whether this is the list's first page. A list whose continue token expired starts over from
/// a new first page, so whatever the consumer kept of the pages before belongs to no snapshot and goes.
/// </param>
public sealed record ResourcePage<T>(IList<T> Items, bool First);
