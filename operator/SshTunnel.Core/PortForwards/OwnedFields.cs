using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// Compares and merges only the fields the operator sets on its Deployments and Services, so
/// that what the API server adds (defaults such as <c>strategy</c>, <c>clusterIP</c> or a
/// probe's <c>timeoutSeconds</c>) and what others add (labels, annotations) never cause a write.
/// A field the operator sets is covered when the existing object holds the same value; objects
/// are compared field by field (extra fields allowed), lists item by item with the same length,
/// numbers by value. Maps the operator owns whole (selectors, nodeSelector, resource
/// quantities) must hold exactly its keys, so a key removed from the spec is removed. An empty
/// map or list covers an absent one (the API server drops empty ones).
/// </summary>
public static class OwnedFields
{
    /// <summary>The maps compared and written whole; list items are written as <c>[]</c>.</summary>
    private static readonly HashSet<string> WholeMaps =
    [
        "spec.selector",
        "spec.selector.matchLabels",
        "spec.template.metadata.labels",
        "spec.template.spec.nodeSelector",
        "spec.template.spec.containers[].resources",
        "spec.template.spec.containers[].resources.limits",
        "spec.template.spec.containers[].resources.requests",
    ];

    /// <summary>Whether <paramref name="existing"/> holds every field of <paramref name="desired"/> (ownerReferences, status and server fields aside).</summary>
    public static bool Cover(JsonObject desired, JsonObject existing) =>
        Covers(Labels(desired), Labels(existing), "metadata.labels")
        && Covers(desired["spec"], existing["spec"], "spec");

    /// <summary>
    /// The object to PUT: <paramref name="existing"/> (its resourceVersion, annotations, other
    /// labels and server fields) with the desired labels and spec fields laid over it.
    /// </summary>
    public static JsonObject Overlay(JsonObject existing, JsonObject desired)
    {
        var result = existing.DeepClone().AsObject();
        result.Remove("status");
        var metadata = result["metadata"] as JsonObject ?? [];
        result["metadata"] = metadata;
        metadata["labels"] = Merge(metadata["labels"], Labels(desired), "metadata.labels");
        result["spec"] = Merge(result["spec"], desired["spec"], "spec");
        return result;
    }

    private static JsonNode? Labels(JsonObject resource) => resource["metadata"]?["labels"];

    private static bool Covers(JsonNode? desired, JsonNode? existing, string path) => desired switch
    {
        null => true,
        JsonObject map when WholeMaps.Contains(path) => SameMap(map, existing as JsonObject),
        JsonObject map => map.Count == 0
            ? existing is null or JsonObject
            : existing is JsonObject present && map.All(field => Covers(field.Value, present[field.Key], path + "." + field.Key)),
        JsonArray list => existing is JsonArray present
            ? present.Count == list.Count && list.Select((item, index) => Covers(item, present[index], path + "[]")).All(covered => covered)
            : existing is null && list.Count == 0,
        _ => existing is JsonValue value && SameValue(desired.AsValue(), value),
    };

    private static bool SameMap(JsonObject desired, JsonObject? existing)
    {
        if (existing is null)
        {
            return desired.Count == 0;
        }

        return existing.Count == desired.Count
            && desired.All(field => existing.TryGetPropertyValue(field.Key, out var value) && JsonNode.DeepEquals(field.Value, value));
    }

    private static bool SameValue(JsonValue desired, JsonValue existing)
    {
        var wanted = desired.GetValueKind();
        var found = existing.GetValueKind();
        if (wanted == JsonValueKind.Number && found == JsonValueKind.Number)
        {
            return Number(desired) == Number(existing);
        }

        return wanted == found && desired.ToJsonString() == existing.ToJsonString();
    }

    private static decimal Number(JsonValue value) => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static JsonNode? Merge(JsonNode? existing, JsonNode? desired, string path)
    {
        if (desired is not JsonObject map || existing is not JsonObject present || WholeMaps.Contains(path))
        {
            return desired?.DeepClone();
        }

        var merged = present.DeepClone().AsObject();
        foreach (var (key, value) in map)
        {
            merged[key] = Merge(present[key], value, path + "." + key);
        }

        return merged;
    }
}
