using System.Text.Json.Nodes;

namespace Kube.Emulator.Discovery;

/// <summary>
/// Where the Scale subresource reads and writes in an object: a CRD's <c>subresources.scale</c>
/// (<c>specReplicasPath</c>, <c>statusReplicasPath</c>, <c>labelSelectorPath</c>: dotted paths
/// without array steps), or Deployments' own fields.
/// </summary>
internal sealed record ScalePaths(string[] SpecReplicas, string[] StatusReplicas, string[]? LabelSelector)
{
    public static ScalePaths Deployment { get; } = new(["spec", "replicas"], ["status", "replicas"], null);

    /// <summary>The paths of a CRD version's <c>subresources.scale</c>, or null when it declares none.</summary>
    public static ScalePaths? Of(JsonNode? scale) => scale is JsonObject paths
        ? new(
            Steps(paths["specReplicasPath"]?.GetValue<string>() ?? string.Empty),
            Steps(paths["statusReplicasPath"]?.GetValue<string>() ?? string.Empty),
            paths["labelSelectorPath"]?.GetValue<string>() is { Length: > 0 } selector ? Steps(selector) : null)
        : null;

    public static JsonNode? Read(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node;
    }

    public static void Write(JsonObject obj, string[] path, JsonNode? value)
    {
        var parent = obj;
        foreach (var step in path[..^1])
        {
            if (parent[step] is not JsonObject child)
            {
                child = [];
                parent[step] = child;
            }

            parent = child;
        }

        parent[path[^1]] = value;
    }

    private static string[] Steps(string path) => path.TrimStart('.').Split('.');
}
