using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Objects;

/// <summary>Shortcuts for reading and shaping Kubernetes objects held as JSON trees.</summary>
internal static class JsonObjectExtensions
{
    /// <summary>The object's metadata, created empty when absent.</summary>
    public static JsonObject Meta(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? GetString(this JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? GetInt64(this JsonObject obj, string property)
    {
        if (obj[property] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetInt64(out var whole) ? whole : (long)element.GetDouble();
        }

        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small;
        }

        return value.TryGetValue<double>(out var real) ? (long)real : null;
    }

    public static JsonObject? GetObject(this JsonObject obj, string property) => obj[property] as JsonObject;

    public static JsonArray? GetArray(this JsonObject obj, string property) => obj[property] as JsonArray;

    public static JsonObject GetOrAddObject(this JsonObject obj, string property)
    {
        if (obj[property] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        obj[property] = created;
        return created;
    }

    public static IReadOnlyList<string> GetStrings(this JsonObject obj, string property) =>
        obj[property] is JsonArray array
            ? [.. array.OfType<JsonValue>().Where(item => item.GetValueKind() == JsonValueKind.String).Select(item => item.GetValue<string>())]
            : [];

    public static string? NameOf(this JsonObject obj) => obj["metadata"] is JsonObject metadata ? metadata.GetString("name") : null;
}
