using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>The objects <c>helm template</c> printed, as JSON trees.</summary>
public sealed class RenderedChart(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static RenderedChart Parse(string yaml) =>
        new([.. YamlJson.ParseDocuments(yaml).OfType<JsonObject>()]);

    public IReadOnlyList<JsonObject> OfKind(string kind) =>
        [.. Objects.Where(item => (string?)item["kind"] == kind)];

    public JsonObject Single(string kind, string name) =>
        Assert.Single(OfKind(kind), item => (string?)item["metadata"]?["name"] == name);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    /// <summary>The object's namespace, or null for a cluster-scoped one.</summary>
    public static string? NamespaceOf(JsonObject item) => (string?)item["metadata"]?["namespace"];

    public static string NameOf(JsonObject item) => (string?)item["metadata"]?["name"] ?? string.Empty;
}
