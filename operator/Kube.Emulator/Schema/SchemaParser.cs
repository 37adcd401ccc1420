using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kube.Emulator.Schema;

/// <summary>
/// Turns an <c>openAPIV3Schema</c> into <see cref="SchemaNode"/>s, refusing what apiextensions-apiserver refuses
/// (non-structural schemas, forbidden keywords) and what this emulator cannot evaluate.
/// </summary>
internal static class SchemaParser
{
    private static readonly HashSet<string> KnownKeywords =
    [
        "type", "format", "title", "description", "default", "example", "externalDocs", "nullable",
        "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "multipleOf",
        "maxLength", "minLength", "pattern", "enum",
        "maxItems", "minItems", "uniqueItems", "items",
        "maxProperties", "minProperties", "required", "properties", "additionalProperties",
        "allOf", "anyOf", "oneOf", "not",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
    ];

    private static readonly HashSet<string> ForbiddenKeywords = ["$ref", "$schema", "id", "definitions", "dependencies", "patternProperties", "additionalItems"];

    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];

    /// <summary>String formats the real server checks; the emulator checks them too.</summary>
    private static readonly HashSet<string> CheckedStringFormats = ["datetime", "date", "byte", "ipv4", "ipv6", "cidr", "uuid", "uuid3", "uuid4", "uuid5", "hostname", "password", "duration"];

    /// <summary>String formats the real server checks that the emulator cannot check faithfully: refused.</summary>
    private static readonly HashSet<string> UncheckedStringFormats = ["bsonobjectid", "uri", "email", "mac", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "quantity", "k8sshortname", "k8slongname"];

    private static readonly HashSet<string> JunctorKeywords =
    [
        "description", "title", "format", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "multipleOf",
        "maxLength", "minLength", "pattern", "enum", "maxItems", "minItems", "maxProperties", "minProperties",
        "required", "properties", "items", "allOf", "anyOf", "oneOf", "not",
    ];

    public static SchemaNode ParseRoot(JsonObject schema)
    {
        var root = Parse(schema, "openAPIV3Schema", Context.Root);
        if (root.Type != "object")
        {
            throw Refuse("openAPIV3Schema.type", "must be object at the root");
        }

        return root;
    }

    private static SchemaNode Parse(JsonObject schema, string where, Context context)
    {
        foreach (var (key, _) in schema)
        {
            if (ForbiddenKeywords.Contains(key))
            {
                throw Refuse($"{where}.{key}", "is forbidden in CustomResourceDefinition schemas");
            }

            if (!KnownKeywords.Contains(key))
            {
                throw Refuse($"{where}.{key}", "is not a keyword the emulator knows");
            }

            if (context.InJunctor && !JunctorKeywords.Contains(key) && !(key == "type" && context.IntOrStringJunctor))
            {
                throw Refuse($"{where}.{key}", "must not be used inside allOf, anyOf, oneOf or not (structural schemas allow only value validations there)");
            }
        }

        var type = GetString(schema, "type", where) ?? "";
        if (type.Length > 0 && !Types.Contains(type))
        {
            throw Refuse($"{where}.type", $"unsupported type \"{type}\"");
        }

        var intOrString = GetBool(schema, "x-kubernetes-int-or-string", where);
        var preserve = GetBool(schema, "x-kubernetes-preserve-unknown-fields", where);
        var embedded = GetBool(schema, "x-kubernetes-embedded-resource", where);
        if (intOrString && type.Length > 0)
        {
            throw Refuse($"{where}.type", "must be empty when x-kubernetes-int-or-string is true");
        }

        if (!context.InJunctor && type.Length == 0 && !intOrString && !preserve)
        {
            throw Refuse($"{where}.type", "must not be empty for specified fields (structural schema)");
        }

        if (schema["uniqueItems"] is JsonValue unique && unique.GetValueKind() == JsonValueKind.True)
        {
            throw Refuse($"{where}.uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic");
        }

        if (embedded && type != "object")
        {
            throw Refuse($"{where}.type", "must be object if x-kubernetes-embedded-resource is true");
        }

        var properties = ParseProperties(schema, where, context, type);
        var additional = ParseAdditionalProperties(schema, where, context, type, properties.Count > 0);
        var items = ParseItems(schema, where, context, type);
        var listType = GetString(schema, "x-kubernetes-list-type", where);
        var listMapKeys = GetStrings(schema, "x-kubernetes-list-map-keys", where);
        CheckListType(where, type, listType, listMapKeys, items);
        var mapType = GetString(schema, "x-kubernetes-map-type", where);
        if (mapType is not null and not "granular" and not "atomic")
        {
            throw Refuse($"{where}.x-kubernetes-map-type", $"unsupported value \"{mapType}\": supported values are \"granular\", \"atomic\"");
        }

        var pattern = GetString(schema, "pattern", where);
        var format = NormalizeFormat(GetString(schema, "format", where) ?? "", type, where);
        if (schema.ContainsKey("default") && context.InMetadata)
        {
            throw Refuse($"{where}.default", "must not be used inside metadata");
        }

        var junctorContext = context with { InJunctor = true, IntOrStringJunctor = intOrString || context.IntOrStringJunctor };
        var node = new SchemaNode
        {
            Type = type,
            Nullable = GetBool(schema, "nullable", where),
            Format = format,
            Default = schema["default"]?.DeepClone(),
            Enum = GetEnum(schema, where),
            Properties = properties,
            Required = GetStrings(schema, "required", where),
            AdditionalProperties = additional,
            Items = items,
            PreserveUnknownFields = preserve,
            EmbeddedResource = embedded,
            IntOrString = intOrString,
            ListType = listType,
            ListMapKeys = listMapKeys,
            MapType = mapType,
            Maximum = GetNumber(schema, "maximum", where),
            ExclusiveMaximum = GetBool(schema, "exclusiveMaximum", where),
            Minimum = GetNumber(schema, "minimum", where),
            ExclusiveMinimum = GetBool(schema, "exclusiveMinimum", where),
            MultipleOf = GetPositiveNumber(schema, "multipleOf", where),
            MaxLength = GetCount(schema, "maxLength", where),
            MinLength = GetCount(schema, "minLength", where),
            Pattern = pattern,
            PatternRegex = pattern is null ? null : CompilePattern(pattern, where),
            MaxItems = GetCount(schema, "maxItems", where),
            MinItems = GetCount(schema, "minItems", where),
            MaxProperties = GetCount(schema, "maxProperties", where),
            MinProperties = GetCount(schema, "minProperties", where),
            AllOf = ParseJunctors(schema, "allOf", where, junctorContext),
            AnyOf = ParseJunctors(schema, "anyOf", where, junctorContext),
            OneOf = ParseJunctors(schema, "oneOf", where, junctorContext),
            Not = schema["not"] is JsonObject not ? Parse(not, $"{where}.not", junctorContext) : null,
        };
        if (context.InJunctor && schema.ContainsKey("x-kubernetes-validations"))
        {
            throw Refuse($"{where}.x-kubernetes-validations", "must not be used inside allOf, anyOf, oneOf or not: the emulator does not evaluate rules there");
        }

        node.Rules = CelRuleCompiler.Compile(schema["x-kubernetes-validations"], node, where, context.IsResourceRoot, context.Correlatable);
        return node;
    }

    private static List<KeyValuePair<string, SchemaNode>> ParseProperties(JsonObject schema, string where, Context context, string type)
    {
        var result = new List<KeyValuePair<string, SchemaNode>>();
        if (schema["properties"] is not { } propertiesNode)
        {
            return result;
        }

        if (propertiesNode is not JsonObject properties)
        {
            throw Refuse($"{where}.properties", "must be an object");
        }

        if (!context.InJunctor && type != "object")
        {
            throw Refuse($"{where}.type", "must be object if properties are specified");
        }

        foreach (var (name, value) in properties)
        {
            var childWhere = $"{where}.properties[{name}]";
            if (value is not JsonObject child)
            {
                throw Refuse(childWhere, "must be a schema object");
            }

            var isMetadata = context.IsResourceRoot && name == "metadata";
            if (isMetadata)
            {
                CheckMetadata(child, childWhere);
            }

            var childContext = new Context(
                IsResourceRoot: child["x-kubernetes-embedded-resource"] is JsonValue e && e.GetValueKind() == JsonValueKind.True,
                InJunctor: context.InJunctor,
                IntOrStringJunctor: false,
                InMetadata: context.InMetadata || isMetadata,
                Correlatable: context.Correlatable && !IsAtomicMap(schema));
            result.Add(new(name, Parse(child, childWhere, childContext)));
        }

        return result;
    }

    private static void CheckMetadata(JsonObject metadata, string where)
    {
        foreach (var (key, value) in metadata)
        {
            if (key is "type" or "description" or "title")
            {
                continue;
            }

            if (key != "properties" || value is not JsonObject properties)
            {
                throw Refuse($"{where}.{key}", "must not be specified: only metadata.name and metadata.generateName may be constrained");
            }

            foreach (var (name, _) in properties)
            {
                if (name is not "name" and not "generateName")
                {
                    throw Refuse($"{where}.properties[{name}]", "must not be specified: only metadata.name and metadata.generateName may be constrained");
                }
            }
        }

        if (metadata["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() != "object")
        {
            throw Refuse($"{where}.type", "must be object");
        }
    }

    private static SchemaNode? ParseAdditionalProperties(JsonObject schema, string where, Context context, string type, bool hasProperties)
    {
        switch (schema["additionalProperties"])
        {
            case null:
                return null;
            case JsonValue flag when flag.GetValueKind() == JsonValueKind.False:
                throw Refuse($"{where}.additionalProperties", "additionalProperties cannot be set to false");
            case JsonValue flag when flag.GetValueKind() == JsonValueKind.True:
                throw Refuse($"{where}.additionalProperties", "must be a schema (use x-kubernetes-preserve-unknown-fields to keep unknown fields)");
            case JsonObject additional:
                if (hasProperties)
                {
                    throw Refuse($"{where}.additionalProperties", "additionalProperties and properties are mutual exclusive");
                }

                if (!context.InJunctor && type != "object")
                {
                    throw Refuse($"{where}.type", "must be object if additionalProperties is specified");
                }

                return Parse(additional, $"{where}.additionalProperties", context with { IsResourceRoot = additional["x-kubernetes-embedded-resource"] is JsonValue e && e.GetValueKind() == JsonValueKind.True, Correlatable = context.Correlatable && !IsAtomicMap(schema) });
            default:
                throw Refuse($"{where}.additionalProperties", "must be a schema object");
        }
    }

    private static SchemaNode? ParseItems(JsonObject schema, string where, Context context, string type)
    {
        switch (schema["items"])
        {
            case null:
                if (!context.InJunctor && type == "array")
                {
                    throw Refuse($"{where}.items", "must be specified for arrays (structural schema)");
                }

                return null;
            case JsonObject items:
                if (!context.InJunctor && type != "array")
                {
                    throw Refuse($"{where}.type", "must be array if items is specified");
                }

                var listType = GetString(schema, "x-kubernetes-list-type", where);
                return Parse(items, $"{where}.items", context with
                {
                    IsResourceRoot = items["x-kubernetes-embedded-resource"] is JsonValue e && e.GetValueKind() == JsonValueKind.True,
                    Correlatable = context.Correlatable && listType == "map",
                });
            default:
                throw Refuse($"{where}.items", "must be a single schema (tuples are forbidden)");
        }
    }

    private static void CheckListType(string where, string type, string? listType, IReadOnlyList<string> keys, SchemaNode? items)
    {
        if (listType is null)
        {
            if (keys.Count > 0)
            {
                throw Refuse($"{where}.x-kubernetes-list-map-keys", "must be empty if x-kubernetes-list-type is not map");
            }

            return;
        }

        if (type != "array")
        {
            throw Refuse($"{where}.x-kubernetes-list-type", "must only be used on type array");
        }

        switch (listType)
        {
            case "atomic":
                break;
            case "set":
                if (items is not null && (items.Type is "object" or "array") && items.MapType != "atomic")
                {
                    throw Refuse($"{where}.items.type", "must be a scalar (or atomic) for x-kubernetes-list-type set");
                }

                break;
            case "map":
                if (keys.Count == 0)
                {
                    throw Refuse($"{where}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map");
                }

                if (items is null || items.Type != "object")
                {
                    throw Refuse($"{where}.items.type", "must be object if x-kubernetes-list-type is map");
                }

                foreach (var key in keys)
                {
                    var keySchema = items.Property(key) ?? throw Refuse($"{where}.x-kubernetes-list-map-keys", $"entry \"{key}\" must be a property of items");
                    if (keySchema.Type is "object" or "array" || keySchema.Type.Length == 0 && !keySchema.IntOrString)
                    {
                        throw Refuse($"{where}.items.properties[{key}].type", "must be a scalar type for a list map key");
                    }

                    if (!items.Required.Contains(key) && keySchema.Default is null)
                    {
                        throw Refuse($"{where}.items.properties[{key}]", "list map keys must be required or have a default");
                    }
                }

                break;
            default:
                throw Refuse($"{where}.x-kubernetes-list-type", $"unsupported value \"{listType}\": supported values are \"atomic\", \"set\", \"map\"");
        }
    }

    private static string NormalizeFormat(string format, string type, string where)
    {
        if (format.Length == 0)
        {
            return "";
        }

        switch (type)
        {
            case "" or "string":
                var normalized = format.Replace("-", "", StringComparison.Ordinal);
                if (CheckedStringFormats.Contains(normalized))
                {
                    return format;
                }

                if (UncheckedStringFormats.Contains(normalized))
                {
                    throw Refuse($"{where}.format", $"format \"{format}\" is checked by the real API server but not by the emulator");
                }

                return "";
            case "integer":
                return format is "int32" or "int64" ? format : "";
            case "number":
                return format is "float" or "double" ? format : "";
            default:
                return "";
        }
    }

    private static IReadOnlyList<SchemaNode> ParseJunctors(JsonObject schema, string keyword, string where, Context context)
    {
        if (schema[keyword] is not { } node)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw Refuse($"{where}.{keyword}", "must be an array of schemas");
        }

        var result = new List<SchemaNode>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject child)
            {
                throw Refuse($"{where}.{keyword}[{i}]", "must be a schema object");
            }

            result.Add(Parse(child, $"{where}.{keyword}[{i}]", context));
        }

        return result;
    }

    /// <summary>
    /// Compiles a pattern without backtracking, which like Go's RE2 runs in linear time and refuses lookarounds
    /// and backreferences.
    /// </summary>
    private static Regex CompilePattern(string pattern, string where)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw Refuse($"{where}.pattern", $"must be a valid regular expression: {e.Message}");
        }
    }

    private static bool IsAtomicMap(JsonObject schema) =>
        schema["x-kubernetes-map-type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "atomic";

    private static JsonArray? GetEnum(JsonObject schema, string where) => schema["enum"] switch
    {
        null => null,
        JsonArray array => (JsonArray)array.DeepClone(),
        _ => throw Refuse($"{where}.enum", "must be an array"),
    };

    private static string? GetString(JsonObject schema, string key, string where) => schema[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Refuse($"{where}.{key}", "must be a string"),
    };

    private static bool GetBool(JsonObject schema, string key, string where) => schema[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => throw Refuse($"{where}.{key}", "must be a boolean"),
    };

    private static double? GetNumber(JsonObject schema, string key, string where) => schema[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonNumbers.GetDouble(v),
        _ => throw Refuse($"{where}.{key}", "must be a number"),
    };

    private static double? GetPositiveNumber(JsonObject schema, string key, string where)
    {
        var number = GetNumber(schema, key, where);
        if (number is <= 0)
        {
            throw Refuse($"{where}.{key}", "must be a positive number");
        }

        return number;
    }

    private static long? GetCount(JsonObject schema, string key, string where)
    {
        var number = GetNumber(schema, key, where);
        if (number is null)
        {
            return null;
        }

        if (number < 0 || Math.Floor(number.Value) != number.Value)
        {
            throw Refuse($"{where}.{key}", "must be a non-negative integer");
        }

        return (long)number.Value;
    }

    private static List<string> GetStrings(JsonObject schema, string key, string where)
    {
        if (schema[key] is not { } node)
        {
            return [];
        }

        if (node is not JsonArray array || array.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw Refuse($"{where}.{key}", "must be an array of strings");
        }

        return array.Select(i => i!.GetValue<string>()).ToList();
    }

    internal static CrdSchemaException Refuse(string where, string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{where}: {why}"));

    private sealed record Context(bool IsResourceRoot, bool InJunctor, bool IntOrStringJunctor, bool InMetadata, bool Correlatable)
    {
        public static Context Root { get; } = new(IsResourceRoot: true, InJunctor: false, IntOrStringJunctor: false, InMetadata: false, Correlatable: true);
    }
}
