using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Equality of JSON values as Go compares decoded values (<c>reflect.DeepEqual</c>), with numbers compared by value.
/// </summary>
internal static class JsonEquality
{
    public static bool DeepEquals(JsonNode? left, JsonNode? right) => (left, right) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (JsonObject a, JsonObject b) => a.Count == b.Count && a.All(p => b.TryGetPropertyValue(p.Key, out var other) && DeepEquals(p.Value, other)),
        (JsonArray a, JsonArray b) => a.Count == b.Count && a.Zip(b).All(p => DeepEquals(p.First, p.Second)),
        (JsonValue a, JsonValue b) => ValueEquals(a, b),
        _ => false,
    };

    /// <summary>Whether a value matches an enum entry; numbers match across int and float as go-openapi converts them.</summary>
    public static bool EnumEquals(JsonNode value, JsonNode? entry) => DeepEquals(value, entry);

    private static bool ValueEquals(JsonValue a, JsonValue b)
    {
        var kind = a.GetValueKind();
        if (kind != b.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => JsonNumbers.TryGetInt64(a, out var x) && JsonNumbers.TryGetInt64(b, out var y)
                ? x == y
                : JsonNumbers.GetDouble(a).Equals(JsonNumbers.GetDouble(b)),
            _ => true,
        };
    }
}
