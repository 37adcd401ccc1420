using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Discovery;

/// <summary>
/// /openapi/v2: swagger 2.0 with the definitions of every served custom resource kind and list kind and the meta/v1
/// types they refer to, built as the real server builds its v2 view of a CRD (value validations, CEL rules and
/// nullable stripped, references under #/definitions/). Paths are not published, so kubectl takes the patch type
/// of a custom resource from /openapi/v3 or its built-in rules.
/// </summary>
internal static class OpenApiV2Document
{
    /// <summary>The real server answers <c>application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c>, which Go's mime parser rejects; kubectl accepts this form.</summary>
    public const string ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private const string DefinitionsPrefix = "#/definitions/";

    /// <summary>Value validations (apiextensions' StripValueValidations) and what swagger 2.0 cannot say.</summary>
    private static readonly HashSet<string> Stripped =
    [
        "format", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required",
        "allOf", "oneOf", "anyOf", "not", "nullable", "x-kubernetes-validations",
    ];

    public static JsonObject Build(ResourceRegistry registry, string gitVersion)
    {
        var definitions = new JsonObject();
        foreach (var (name, schema) in OpenApiSchemas.MetaTypes())
        {
            definitions[name] = ToV2(schema!, strip: false);
        }

        foreach (var type in registry.All.Where(type => type.CrdName is not null).OrderBy(type => type.Group + "/" + type.Version + "/" + type.Plural, StringComparer.Ordinal))
        {
            // A kind that keeps unknown fields is published as a bare object in v2, so that kubectl refuses nothing.
            definitions[OpenApiSchemas.DefinitionName(type.Group, type.Version, type.Kind)] = type.Custom?.OpenApiSchema?["x-kubernetes-preserve-unknown-fields"] is JsonValue preserve && preserve.GetValueKind() == JsonValueKind.True
                ? new JsonObject { ["type"] = "object", ["x-kubernetes-group-version-kind"] = new JsonArray(OpenApiSchemas.GroupVersionKind(type.Group, type.Version, type.Kind)) }
                : ToV2(OpenApiSchemas.Kind(type), strip: true);
            definitions[OpenApiSchemas.DefinitionName(type.Group, type.Version, type.ListKind)] = ToV2(OpenApiSchemas.List(type), strip: false);
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
            ["paths"] = new JsonObject(),
            ["definitions"] = definitions,
        };
    }

    /// <summary>
    /// A v3 schema as swagger 2.0 states it: references under #/definitions/, a lone allOf reference unwrapped
    /// (2.0 keeps the siblings of $ref), and with <paramref name="strip"/> the value validations removed.
    /// </summary>
    private static JsonNode ToV2(JsonNode node, bool strip)
    {
        switch (node)
        {
            case JsonObject map:
                {
                    var result = new JsonObject();
                    if (map["allOf"] is JsonArray { Count: 1 } single && single[0] is JsonObject only && only["$ref"] is not null)
                    {
                        result["$ref"] = V2Reference(only["$ref"]!.GetValue<string>());
                    }

                    foreach (var (key, value) in map)
                    {
                        if (key == "allOf" && result.ContainsKey("$ref"))
                        {
                            continue;
                        }

                        if (strip && Stripped.Contains(key))
                        {
                            continue;
                        }

                        // A property may be called like a keyword: below properties, every key is a name.
                        result[key] = key switch
                        {
                            "$ref" => V2Reference(value!.GetValue<string>()),
                            "properties" when value is JsonObject properties => Properties(properties, strip),
                            _ when value is null => null,
                            _ when key.StartsWith("x-", StringComparison.Ordinal) || key is "default" or "enum" or "example" => value.DeepClone(),
                            _ => ToV2(value, strip),
                        };
                    }

                    if (strip)
                    {
                        KubectlCompatible(map, result);
                    }

                    return result;
                }

            case JsonArray list:
                return new JsonArray([.. list.Select(item => item is null ? null : ToV2(item, strip))]);
            default:
                return node.DeepClone();
        }
    }

    /// <summary>
    /// apiextensions' ToStructuralOpenAPIV2: kubectl's v2 validation refuses fields it is not told of and cannot read
    /// an untyped array, so nullable and x-kubernetes-preserve-unknown-fields nodes lose their properties and items,
    /// a nullable node its type, and an array left without items its type.
    /// </summary>
    private static void KubectlCompatible(JsonObject source, JsonObject result)
    {
        var nullable = source["nullable"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        var preserves = source["x-kubernetes-preserve-unknown-fields"] is JsonValue preserve && preserve.GetValueKind() == JsonValueKind.True;
        if (nullable || preserves)
        {
            result.Remove("properties");
            result.Remove("items");
        }

        if (nullable || (result["type"]?.GetValue<string>() == "array" && result["items"] is null))
        {
            result.Remove("type");
        }
    }

    private static JsonObject Properties(JsonObject properties, bool strip)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            result[name] = schema is null ? null : ToV2(schema, strip);
        }

        return result;
    }

    private static string V2Reference(string reference) =>
        reference.StartsWith(OpenApiSchemas.ComponentsPrefix, StringComparison.Ordinal)
            ? DefinitionsPrefix + reference[OpenApiSchemas.ComponentsPrefix.Length..]
            : reference;
}
