namespace Kube.Controller.Sources;

/// <summary>
/// The parameters of one LIST call: a page (<see cref="Continue"/>, <see cref="Limit"/>) or a
/// watch (<see cref="Watch"/>, with bookmarks, from <see cref="ResourceVersion"/>).
/// </summary>
/// <param name="Namespace">The namespace; null for all namespaces.</param>
public sealed record ListRequest(string? Namespace)
{
    public string? Continue { get; init; }

    public int? Limit { get; init; }

    public bool Watch { get; init; }

    /// <summary>For a watch: the version to resume from.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>For a watch: the server-side bound of the request.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Bookmarks are asked for on every watch: they move the resume point past quiet stretches.</summary>
    public bool? AllowWatchBookmarks => Watch ? true : null;

    public bool? WatchParameter => Watch ? true : null;
}
