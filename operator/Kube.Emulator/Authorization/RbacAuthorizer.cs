using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Selectors;

namespace Kube.Emulator.Authorization;

/// <summary>
/// The RBAC authorizer over the stored Roles, ClusterRoles and their bindings, as kube-apiserver's: a request is
/// allowed when a rule of a role bound to the user (ClusterRoleBindings everywhere, RoleBindings in their namespace)
/// matches its verb, API group, resource (with subresource, or */subresource) and name, or for non-resource paths its
/// URL; aggregated ClusterRoles take the rules of the ClusterRoles their selectors match. system:masters passes.
/// </summary>
internal sealed class RbacAuthorizer(ResourceRegistry registry)
{
    private const string Group = "rbac.authorization.k8s.io";

    /// <summary>Null when the request is allowed, else the Forbidden error to answer with.</summary>
    public ApiException? Refusal(UserInfo user, RequestInfo request) =>
        user.IsMaster || Allows(user, request) ? null : Forbidden(user, request);

    public bool Allows(UserInfo user, RequestInfo request)
    {
        var clusterRoles = Objects("clusterroles", null);
        foreach (var binding in Objects("clusterrolebindings", null))
        {
            if (AppliesTo(binding, user, null) && RulesOf(binding, clusterRoles, null).Any(rule => Matches(rule, request)))
            {
                return true;
            }
        }

        if (request.Namespace is not { Length: > 0 } namespaceName || request.Resource.Length == 0)
        {
            return false;
        }

        foreach (var binding in Objects("rolebindings", namespaceName))
        {
            if (AppliesTo(binding, user, namespaceName) && RulesOf(binding, clusterRoles, namespaceName).Any(rule => Matches(rule, request)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The real server's Forbidden Status, e.g. secrets "x" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource "secrets" in API group "" in the namespace "ns".</summary>
    private static ApiException Forbidden(UserInfo user, RequestInfo request)
    {
        string detail;
        string prefix;
        var group = request.Group ?? string.Empty;
        if (request.Resource.Length == 0)
        {
            detail = "User \"" + user.Name + "\" cannot " + request.Verb + " path \"" + request.Path + "\"";
            prefix = "forbidden: ";
        }
        else
        {
            var resource = request.Subresource is { } subresource ? request.Resource + "/" + subresource : request.Resource;
            var scope = request.Namespace is { Length: > 0 } ns ? "in the namespace \"" + ns + "\"" : "at the cluster scope";
            detail = "User \"" + user.Name + "\" cannot " + request.Verb + " resource \"" + resource + "\" in API group \"" + group + "\" " + scope;
            var qualified = group.Length == 0 ? request.Resource : request.Resource + "." + group;
            prefix = qualified + (request.Name is { } name ? " \"" + name + "\"" : string.Empty) + " is forbidden: ";
        }

        return new ApiException(403, "Forbidden", prefix + detail, new JsonObject
        {
            ["name"] = request.Name,
            ["group"] = request.Resource.Length == 0 ? null : group,
            ["kind"] = request.Resource.Length == 0 ? null : request.Resource,
        });
    }

    private List<JsonObject> Objects(string plural, string? namespaceName) =>
        [.. registry.Find(Group, "v1", plural)!.Store.List(namespaceName).Items.Select(item => item.Parse())];

    /// <summary>Whether a subject of the binding is the user, one of its groups, or its ServiceAccount (a RoleBinding's defaults to its namespace).</summary>
    private static bool AppliesTo(JsonObject binding, UserInfo user, string? bindingNamespace) =>
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(subject => subject.GetString("kind") switch
        {
            "User" => subject.GetString("name") == user.Name,
            "Group" => user.Groups.Contains(subject.GetString("name") ?? string.Empty),
            "ServiceAccount" => user.Name == UserInfo.ServiceAccountPrefix + (subject.GetString("namespace") is { Length: > 0 } ns ? ns : bindingNamespace) + ":" + subject.GetString("name"),
            _ => false,
        });

    private IEnumerable<JsonObject> RulesOf(JsonObject binding, List<JsonObject> clusterRoles, string? bindingNamespace)
    {
        var roleRef = binding["roleRef"] as JsonObject ?? [];
        var name = roleRef.GetString("name");
        JsonObject? role = roleRef.GetString("kind") switch
        {
            "ClusterRole" => clusterRoles.FirstOrDefault(candidate => candidate.NameOf() == name),
            "Role" when bindingNamespace is not null => Objects("roles", bindingNamespace).FirstOrDefault(candidate => candidate.NameOf() == name),
            _ => null,
        };
        if (role is null)
        {
            return [];
        }

        return roleRef.GetString("kind") == "ClusterRole" ? ClusterRoleRules(role, clusterRoles) : Rules(role);
    }

    /// <summary>A ClusterRole's own rules and, with an aggregationRule, those of every ClusterRole a selector matches (the aggregation controller's result).</summary>
    private static IEnumerable<JsonObject> ClusterRoleRules(JsonObject role, List<JsonObject> clusterRoles)
    {
        var selectors = (role["aggregationRule"]?["clusterRoleSelectors"] as JsonArray ?? []).OfType<JsonObject>().Select(LabelSelector.FromObject).ToList();
        var aggregated = selectors.Count == 0
            ? []
            : clusterRoles.Where(other => other.NameOf() != role.NameOf() && selectors.Any(selector => selector.Matches(LabelsOf(other)))).SelectMany(Rules);
        return Rules(role).Concat(aggregated);
    }

    private static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj) =>
        (obj.Meta()["labels"] as JsonObject ?? []).Where(label => label.Value is JsonValue).ToDictionary(label => label.Key, label => label.Value!.GetValue<string>(), StringComparer.Ordinal);

    private static IEnumerable<JsonObject> Rules(JsonObject role) => (role["rules"] as JsonArray ?? []).OfType<JsonObject>();

    private static bool Matches(JsonObject rule, RequestInfo request)
    {
        if (!Contains(rule, "verbs", request.Verb, "*"))
        {
            return false;
        }

        if (request.Resource.Length == 0)
        {
            return Strings(rule, "nonResourceURLs").Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
        }

        var resource = request.Subresource is { } subresource ? request.Resource + "/" + subresource : request.Resource;
        var names = Strings(rule, "resourceNames").ToList();
        return Contains(rule, "apiGroups", request.Group ?? string.Empty, "*")
            && Strings(rule, "resources").Any(candidate => candidate == "*" || candidate == resource || (request.Subresource is { } sub && candidate == "*/" + sub))
            && (names.Count == 0 || (request.Name is { } name && names.Contains(name)));
    }

    private static bool Contains(JsonObject rule, string field, string value, string all) =>
        Strings(rule, field).Any(entry => entry == all || entry == value);

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).OfType<JsonValue>().Select(value => value.GetValue<string>());
}
