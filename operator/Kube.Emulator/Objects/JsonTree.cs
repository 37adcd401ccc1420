using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Objects;

/// <summary>Tree helpers over System.Text.Json nodes.</summary>
internal static class JsonTree
{
    /// <summary>Forces the lazily parsed parts of a tree into nodes so that concurrent readers never race to build them.</summary>
    public static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                _ = obj.Count;
                foreach (var pair in obj)
                {
                    Materialize(pair.Value);
                }

                break;
            case JsonArray array:
                _ = array.Count;
                foreach (var item in array)
                {
                    Materialize(item);
                }

                break;
        }
    }

    public static bool DeepEquals(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;
}
