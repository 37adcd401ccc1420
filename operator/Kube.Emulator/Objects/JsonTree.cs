using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Objects;

/// <summary>Tree helpers over System.Text.Json nodes.</summary>
internal static class JsonTree
{
    public static bool DeepEquals(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;
}
