using System.Text.Json.Nodes;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>One RBAC rule, its lists in a canonical order, so rule sets compare as values.</summary>
public sealed record PolicyRule(string ApiGroups, string Resources, string ResourceNames, string Verbs)
{
    public static PolicyRule Of(string apiGroup, string resource, params string[] verbs) =>
        new(apiGroup, resource, string.Empty, Join(verbs));

    public static PolicyRule Named(string apiGroup, string resource, string resourceName, params string[] verbs) =>
        new(apiGroup, resource, resourceName, Join(verbs));

    /// <summary>The rules of a Role or ClusterRole.</summary>
    public static IReadOnlySet<PolicyRule> From(JsonObject role) =>
        (role["rules"]?.AsArray() ?? []).Select(rule => new PolicyRule(
            Join(Strings(rule?["apiGroups"])),
            Join(Strings(rule?["resources"])),
            Join(Strings(rule?["resourceNames"])),
            Join(Strings(rule?["verbs"])))).ToHashSet();

    /// <summary>Every string in every list of every rule, to look for wildcards.</summary>
    public static IEnumerable<string> AllEntries(JsonObject role) =>
        (role["rules"]?.AsArray() ?? []).SelectMany(rule => rule!.AsObject().SelectMany(field => Strings(field.Value)));

    private static IEnumerable<string> Strings(JsonNode? list) =>
        list?.AsArray().Select(item => (string?)item ?? string.Empty) ?? [];

    private static string Join(IEnumerable<string> items) => string.Join(',', items.Order(StringComparer.Ordinal));
}
