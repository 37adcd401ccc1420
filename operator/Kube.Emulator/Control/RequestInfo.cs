namespace Kube.Emulator;

/// <summary>What one API request asked for, as the API server's request info filter sees it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Verb">get, list, watch, create, update, patch, delete or deletecollection; for non-resource paths the lower-case HTTP method.</param>
/// <param name="Group">API group; null for the core group and non-resource paths.</param>
/// <param name="Version">API version, empty for non-resource paths.</param>
/// <param name="Resource">Plural resource name, empty for non-resource paths.</param>
/// <param name="Subresource">Subresource such as status.</param>
/// <param name="Namespace">Namespace, if any.</param>
/// <param name="Name">Object name, if any.</param>
/// <param name="Path">Request path.</param>
public sealed record RequestInfo(
    string Method,
    string Verb,
    string? Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string Path)
{
    /// <summary>The authenticated user: kube-emulator (the admin), system:serviceaccount:NS:SA, or an impersonated name.</summary>
    public string User { get; init; } = "kube-emulator";

    /// <summary>Whether the verb changes state.</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    /// <summary>The resource with its subresource, e.g. sshtunnelconnections/status.</summary>
    public string ResourcePath => Subresource is null ? Resource : Resource + "/" + Subresource;
}
