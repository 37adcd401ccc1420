using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Equality of JSON values as Go compares decoded values (<c>reflect.DeepEqual</c>); numbers compare by value,
/// as go-openapi converts an enum value to the entry's type before comparing.
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
