using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kube.Emulator.Objects;

/// <summary>
/// YAML (multi-document) to JSON trees, with YAML 1.2 core-schema typing of plain scalars as Kubernetes does.
/// Public so that tests read manifests, CRDs and chart output exactly as the emulator reads them.
/// </summary>
public static class YamlJson
{
    /// <summary>The one document of <paramref name="text"/>; refuses text with none or several.</summary>
    public static JsonNode Parse(string text)
    {
        var documents = ParseDocuments(text);
        return documents.Count == 1 ? documents[0]! : throw new FormatException($"Expected exactly one YAML document, found {documents.Count}.");
    }

    /// <summary>The documents of <paramref name="text"/> in order; empty documents are left out.</summary>
    public static IReadOnlyList<JsonNode?> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        // A round trip through JSON text leaves only element-backed values, which every reader converts freely (a JsonValue<long> refuses GetValue<int>).
        return [.. stream.Documents.Select(document => Convert(document.RootNode)).Where(node => node is not null).Select(node => JsonNode.Parse(node!.ToJsonString()))];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            obj[((YamlScalarNode)key).Value ?? string.Empty] = Convert(value);
        }

        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && (text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase)))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
