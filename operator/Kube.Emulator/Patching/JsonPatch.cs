using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over a JSON tree.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw ApiErrors.BadRequest("the server rejected our request due to an error in our request");
            }

            var kind = op.GetString("op");
            var path = op.GetString("path") ?? throw ApiErrors.InternalError("missing path");
            switch (kind)
            {
                case "add":
                    document = Add(document, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op.GetString("from") ?? string.Empty;
                        var moved = Get(document, from)?.DeepClone();
                        Remove(document, from);
                        document = Add(document, path, moved);
                        break;
                    }

                case "copy":
                    document = Add(document, path, Get(document, op.GetString("from") ?? string.Empty)?.DeepClone());
                    break;
                case "test":
                    if (!JsonTree.DeepEquals(Get(document, path), op["value"]))
                    {
                        throw new ApiException(422, "Invalid", "testing value " + path + " failed: test failed", new JsonObject());
                    }

                    break;
                default:
                    throw ApiErrors.InternalError("Unexpected kind: " + kind);
            }
        }

        return document;
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.TrimStart('/').Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => throw Missing(path),
            };
        }

        return node;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value ?? document;
        }

        var parent = Get(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var tokens = Tokens(path);
        var parent = Get(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                array.RemoveAt(index);
                break;
            default:
                throw Missing(path);
        }
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static ApiException Missing(string path) =>
        new(422, "Invalid", "jsonpatch operation does not apply: doc is missing path: \"" + path + "\": missing value", new JsonObject());
}
