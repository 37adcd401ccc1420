using System.Reflection;
using System.Text.Json.Serialization;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>Checks that a model type and a CRD schema agree: the same JSON property names, one to one, with matching types, recursively.</summary>
internal static class ModelShape
{
    /// <summary>The JSON names of <paramref name="type"/> and the schema's properties agree one to one, with matching types, recursively.</summary>
    public static void AssertSameShape(Type type, Dictionary<object, object> schema, string path)
    {
        var modelProperties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Json: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Json is not null)
            .ToDictionary(p => p.Json!, p => p.Property.PropertyType);
        var schemaProperties = CrdDocument.Properties(schema) ?? [];

        Assert.Equal(modelProperties.Keys.Order(), schemaProperties.Keys.Cast<string>().Order());
        foreach (var (name, propertyType) in modelProperties)
        {
            AssertSameType(propertyType, (Dictionary<object, object>)schemaProperties[name], $"{path}.{name}");
        }
    }

    private static void AssertSameType(Type type, Dictionary<object, object> schema, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = (string)schema["type"];
        schema.TryGetValue("format", out var format);
        switch (type)
        {
            case var t when t == typeof(string):
                Assert.True(schemaType == "string" && format is null, $"{path}: string expected, schema has {schemaType} {format}");
                break;
            case { IsEnum: true } t:
                Assert.True(schemaType == "string" && format is null, $"{path}: string enum expected, schema has {schemaType} {format}");
                Assert.Equal(Enum.GetNames(t), CrdDocument.List(schema, "enum").Cast<string>());
                break;
            case var t when t == typeof(int):
                Assert.True(schemaType == "integer" && (string?)format == "int32", $"{path}: int32 expected, schema has {schemaType} {format}");
                break;
            case var t when t == typeof(long):
                Assert.True(schemaType == "integer" && (string?)format == "int64", $"{path}: int64 expected, schema has {schemaType} {format}");
                break;
            case var t when t == typeof(bool):
                Assert.True(schemaType == "boolean", $"{path}: boolean expected, schema has {schemaType}");
                break;
            case var t when t == typeof(DateTimeOffset):
                Assert.True(schemaType == "string" && (string?)format == "date-time", $"{path}: date-time expected, schema has {schemaType} {format}");
                break;
            case var t when t == typeof(IReadOnlyDictionary<string, string>):
                Assert.True(schemaType == "object" && CrdDocument.Properties(schema) is null, $"{path}: a map expected, schema has {schemaType} with properties");
                var values = CrdDocument.Map(schema, "additionalProperties");
                Assert.True(
                    (values.TryGetValue("type", out var valueType) && (string)valueType == "string") || (string?)values.GetValueOrDefault("x-kubernetes-int-or-string") == "true",
                    $"{path}: string values expected");
                break;
            case { IsGenericType: true } t when t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>):
                Assert.Equal("array", schemaType);
                AssertSameType(t.GetGenericArguments()[0], CrdDocument.Map(schema, "items"), path + "[]");
                break;
            default:
                Assert.True(schemaType == "object", $"{path}: object expected for {type.Name}, schema has {schemaType}");
                AssertSameShape(type, schema, path);
                break;
        }
    }
}
