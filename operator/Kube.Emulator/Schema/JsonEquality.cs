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
        (JsonObject a, JsonObject b) => ObjectEquals(a, b),
        (JsonArray a, JsonArray b) => ArrayEquals(a, b),
        (JsonValue a, JsonValue b) => ValueEquals(a, b),
        _ => false,
    };

    // Loops rather than LINQ: ratcheting compares old and new objects on every update, at every level of the schema.
    private static bool ObjectEquals(JsonObject a, JsonObject b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (name, value) in a)
        {
            if (!b.TryGetPropertyValue(name, out var other) || !DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ArrayEquals(JsonArray a, JsonArray b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!DeepEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

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
