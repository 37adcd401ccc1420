using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

/// <summary>
/// Builds schemas and objects for the tests: a field schema is placed at <c>spec.x</c> of a resource schema.
/// </summary>
internal static class Schemas
{
    public static CrdSchema Compile(string rootSchemaYaml) => CrdSchema.Compile(YamlJson.Parse(rootSchemaYaml).AsObject());

    /// <summary>A resource schema whose spec has the one field <c>x</c> with the given schema.</summary>
    public static JsonObject ResourceWithField(string fieldSchemaYaml) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["x"] = YamlJson.Parse(fieldSchemaYaml) },
            },
        },
    };

    public static CrdSchema ForField(string fieldSchemaYaml) => CrdSchema.Compile(ResourceWithField(fieldSchemaYaml));

    /// <summary>A resource whose spec is the given YAML (or JSON) mapping.</summary>
    public static JsonObject Resource(string specYaml) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "default" },
        ["spec"] = YamlJson.Parse(specYaml),
    };

    /// <summary>A resource whose <c>spec.x</c> is the given JSON value.</summary>
    public static JsonObject ResourceWithValue(string valueJson) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["x"] = JsonNode.Parse(valueJson) },
    };

    public static string Messages(IEnumerable<FieldError> errors) => string.Join("\n", errors.Select(e => e.ToString()));
}
