using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>
/// The objects <c>helm template</c> printed, as JSON trees: the release's objects apart from its
/// hooks (<c>helm.sh/hook</c>, such as the helm test objects), which helm creates only on their event.
/// </summary>
public sealed class RenderedChart(IReadOnlyList<JsonObject> objects, IReadOnlyList<JsonObject> hooks)
{
    private const string HookAnnotation = "helm.sh/hook";

    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public IReadOnlyList<JsonObject> Hooks { get; } = hooks;

    public static RenderedChart Parse(string yaml)
    {
        var all = YamlJson.ParseDocuments(yaml).OfType<JsonObject>().ToList();
        return new([.. all.Where(item => !IsHook(item))], [.. all.Where(IsHook)]);
    }

    /// <summary>The hooks alone, as a chart of their own (for the RBAC of the helm test pod).</summary>
    public RenderedChart HooksOnly => new(Hooks, []);

    /// <summary>The hook of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public JsonObject Hook(string kind, string name) =>
        Assert.Single(Hooks, item => (string?)item["kind"] == kind && NameOf(item) == name);

    private static bool IsHook(JsonObject item) => item["metadata"]?["annotations"]?[HookAnnotation] is not null;

    public IReadOnlyList<JsonObject> OfKind(string kind) =>
        [.. Objects.Where(item => (string?)item["kind"] == kind)];

    public JsonObject Single(string kind, string name) =>
        Assert.Single(OfKind(kind), item => (string?)item["metadata"]?["name"] == name);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    /// <summary>The object's namespace, or null for a cluster-scoped one.</summary>
    public static string? NamespaceOf(JsonObject item) => (string?)item["metadata"]?["namespace"];

    public static string NameOf(JsonObject item) => (string?)item["metadata"]?["name"] ?? string.Empty;
}
