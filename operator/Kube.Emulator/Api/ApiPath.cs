namespace Kube.Emulator.Api;

/// <summary>A request path taken apart the way the API server's request info resolver does it.</summary>
internal sealed record ApiPath(
    bool IsResource,
    string? Group,
    string Version,
    string Resource,
    string? Namespace,
    string? Name,
    string? Subresource,
    bool WatchPrefix)
{
    private static readonly ApiPath NonResource = new(false, null, string.Empty, string.Empty, null, null, null, false);

    public static ApiPath Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int start;
        string? group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            group = null;
            version = parts[1];
            start = 2;
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            group = parts[1];
            version = parts[2];
            start = 3;
        }
        else
        {
            return NonResource;
        }

        var rest = parts[start..];
        var watch = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }

        if (rest.Length == 0 || rest.Any(part => part.Length == 0))
        {
            return NonResource;
        }

        string? namespaceName = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            namespaceName = rest[1];
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
            else
            {
                return new ApiPath(true, group, version, "namespaces", namespaceName, rest[1], rest.Length > 2 ? rest[2] : null, watch);
            }
        }

        if (rest.Length > 3)
        {
            return NonResource with { IsResource = false, Version = version, Group = group, Resource = rest[0] };
        }

        return new ApiPath(true, group, version, rest[0], namespaceName, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null, watch);
    }

    public string Verb(string method, bool watchQuery) => method switch
    {
        "GET" or "HEAD" when Name is not null && !WatchPrefix => "get",
        "GET" or "HEAD" => WatchPrefix || watchQuery ? "watch" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => Name is null ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };
}
