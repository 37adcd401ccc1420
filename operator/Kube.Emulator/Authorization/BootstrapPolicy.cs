using System.Text.Json.Nodes;

namespace Kube.Emulator.Authorization;

/// <summary>
/// The default ClusterRoles and bindings every cluster has (kube-apiserver's bootstrap policy) that a
/// ServiceAccount's client needs before any role of its own: discovery, version, health and access reviews of itself
/// for every authenticated user, and cluster-admin for system:masters.
/// </summary>
internal static class BootstrapPolicy
{
    private static readonly string[] DiscoveryUrls = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"];
    private static readonly string[] PublicInfoUrls = ["/healthz", "/livez", "/readyz", "/version", "/version/"];

    public static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", new JsonObject { ["apiGroups"] = Strings("*"), ["resources"] = Strings("*"), ["verbs"] = Strings("*") }, new JsonObject { ["nonResourceURLs"] = Strings("*"), ["verbs"] = Strings("*") });
        yield return Role("system:discovery", new JsonObject { ["nonResourceURLs"] = Strings(DiscoveryUrls), ["verbs"] = Strings("get") });
        yield return Role("system:basic-user", new JsonObject { ["apiGroups"] = Strings("authorization.k8s.io"), ["resources"] = Strings("selfsubjectaccessreviews", "selfsubjectrulesreviews"), ["verbs"] = Strings("create") });
        yield return Role("system:public-info-viewer", new JsonObject { ["nonResourceURLs"] = Strings(PublicInfoUrls), ["verbs"] = Strings("get") });
    }

    public static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", "system:masters");
        yield return Binding("system:basic-user", "system:authenticated");
        yield return Binding("system:discovery", "system:authenticated");
        yield return Binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated");
    }

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray([.. groups.Select(group => (JsonNode?)new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = group })]),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonArray Strings(params string[] values) => new([.. values.Select(value => (JsonNode?)value)]);
}
