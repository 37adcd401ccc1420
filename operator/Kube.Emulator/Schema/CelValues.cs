using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Converts JSON to the values the Cel package evaluates, typed by the schema as Kubernetes types them for CEL:
/// integers are int64, numbers double, objects maps of their declared fields, arrays lists.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? value, SchemaNode? node, bool isResourceRoot) => value switch
    {
        null => null,
        JsonObject obj => FromObject(obj, node, isResourceRoot),
        JsonArray array => array.Select(item => From(item, node?.Items, node?.Items?.EmbeddedResource ?? false)).ToList(),
        JsonValue scalar => FromScalar(scalar, node),
        _ => null,
    };

    private static Dictionary<string, object?> FromObject(JsonObject obj, SchemaNode? node, bool isResourceRoot)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, child) in obj)
        {
            if (isResourceRoot && name is "apiVersion" or "kind")
            {
                result[name] = From(child, null, false);
                continue;
            }

            if (isResourceRoot && name == "metadata" && child is JsonObject metadata)
            {
                result[name] = metadata.Where(p => p.Key is "name" or "generateName").ToDictionary(p => p.Key, p => From(p.Value, null, false));
                continue;
            }

            if (node is null || node.PreserveUnknownFields && node.Property(name) is null && node.AdditionalProperties is null)
            {
                result[name] = From(child, null, false);
            }
            else if ((node.Property(name) ?? node.AdditionalProperties) is { } schema)
            {
                result[name] = From(child, schema, schema.EmbeddedResource);
            }
        }

        return result;
    }

    private static object? FromScalar(JsonValue value, SchemaNode? node)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (node?.Type == "number")
                {
                    return JsonNumbers.GetDouble(value);
                }

                return JsonNumbers.TryGetInt64(value, out var integer) ? (object)integer : JsonNumbers.GetDouble(value);
            default:
                return null;
        }
    }
}
