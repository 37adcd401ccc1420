using System.Text.Json.Nodes;
using Kube.Emulator;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>
/// Decides, as Kubernetes' RBAC authorizer does, whether the roles a chart bound to one
/// ServiceAccount allow a resource request: a ClusterRoleBinding grants everywhere, a
/// RoleBinding only in its namespace; a rule matches on group, resource/subresource, verb and,
/// when it lists them, resource names.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly List<(string? Namespace, JsonObject Role)> grants = [];

    public RbacAuthorizer(RenderedChart chart, string serviceAccount, string serviceAccountNamespace)
    {
        foreach (var binding in chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")))
        {
            var boundHere = (binding["subjects"]?.AsArray() ?? []).Any(subject =>
                (string?)subject?["kind"] == "ServiceAccount"
                && (string?)subject["name"] == serviceAccount
                && (string?)subject["namespace"] == serviceAccountNamespace);
            if (!boundHere)
            {
                continue;
            }

            var bindingNamespace = RenderedChart.NamespaceOf(binding);
            var roleKind = (string)binding["roleRef"]!["kind"]!;
            var roleName = (string)binding["roleRef"]!["name"]!;
            var role = chart.OfKind(roleKind).Single(candidate =>
                RenderedChart.NameOf(candidate) == roleName && (roleKind == "ClusterRole" || RenderedChart.NamespaceOf(candidate) == bindingNamespace));
            grants.Add((bindingNamespace, role));
        }
    }

    public bool Allows(RequestInfo request) =>
        grants.Any(grant =>
            (grant.Namespace is null || grant.Namespace == request.Namespace)
            && (grant.Role["rules"]?.AsArray() ?? []).Any(rule => Matches(rule!.AsObject(), request)));

    private static bool Matches(JsonObject rule, RequestInfo request) =>
        Strings(rule["apiGroups"]).Contains(request.Group ?? string.Empty)
        && Strings(rule["resources"]).Contains(request.ResourcePath)
        && Strings(rule["verbs"]).Contains(request.Verb)
        && (Strings(rule["resourceNames"]).Count == 0 || (request.Name is not null && Strings(rule["resourceNames"]).Contains(request.Name)));

    private static List<string> Strings(JsonNode? list) =>
        [.. list?.AsArray().Select(item => (string?)item ?? string.Empty) ?? []];
}
