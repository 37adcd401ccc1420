using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kube.Emulator.Schema;

/// <summary>
/// One node of a compiled structural schema: the keywords of an <c>openAPIV3Schema</c> node, checked and parsed once.
/// </summary>
internal sealed class SchemaNode
{
    /// <summary>The declared type: object, array, string, integer, number, boolean, or empty.</summary>
    public string Type { get; init; } = "";

    public bool Nullable { get; init; }

    /// <summary>The format the server checks (unsupported formats are dropped as the server drops them).</summary>
    public string Format { get; init; } = "";

    public JsonNode? Default { get; init; }

    public JsonArray? Enum { get; init; }

    public IReadOnlyList<KeyValuePair<string, SchemaNode>> Properties { get; init; } = [];

    public IReadOnlyList<string> Required { get; init; } = [];

    public SchemaNode? AdditionalProperties { get; init; }

    public SchemaNode? Items { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public bool EmbeddedResource { get; init; }

    public bool IntOrString { get; init; }

    public string? ListType { get; init; }

    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    public string? MapType { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? MultipleOf { get; init; }

    public long? MaxLength { get; init; }

    public long? MinLength { get; init; }

    public string? Pattern { get; init; }

    public Regex? PatternRegex { get; init; }

    public long? MaxItems { get; init; }

    public long? MinItems { get; init; }

    public long? MaxProperties { get; init; }

    public long? MinProperties { get; init; }

    public IReadOnlyList<SchemaNode> AllOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> AnyOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> OneOf { get; init; } = [];

    public SchemaNode? Not { get; init; }

    public IReadOnlyList<CelRule> Rules { get; set; } = [];

    /// <summary>The types the value may have, as go-openapi compares them.</summary>
    public IReadOnlyList<string> AllowedTypes => IntOrString ? ["integer", "string"] : Type.Length == 0 ? [] : [Type];

    public SchemaNode? Property(string name)
    {
        foreach (var (key, node) in Properties)
        {
            if (key == name)
            {
                return node;
            }
        }

        return null;
    }
}
