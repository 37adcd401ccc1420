using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>
/// Reads YAML documents as JSON trees, typing plain scalars as YAML 1.2's core schema does
/// (integers, floats, booleans, null), so rendered manifests compare like the API server reads them.
/// </summary>
public static class YamlToJson
{
    public static IReadOnlyList<JsonNode?> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(document => Convert(document.RootNode))];
    }

    public static JsonNode? ParseSingle(string yaml) => ParseDocuments(yaml).Single();

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            entry => KeyValuePair.Create(((YamlScalarNode)entry.Key).Value ?? string.Empty, Convert(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new NotSupportedException("YAML node " + node.NodeType),
    };

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when IsFloat(text) => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    private static bool IsFloat(string text) =>
        text.Any(char.IsDigit)
        && text.All(c => char.IsDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
