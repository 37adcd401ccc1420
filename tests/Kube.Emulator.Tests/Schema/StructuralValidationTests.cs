using Kube.Emulator.Objects;

namespace Kube.Emulator.Tests.Schema;

public class StructuralValidationTests
{
    /// <summary>Field schema, value of <c>spec.x</c>, and the expected errors (one a line; empty when valid).</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "{type: integer}", "8080", "" },
        { "{type: integer}", "\"8080\"", "spec.x: Invalid value: \"string\": spec.x in body must be of type integer: \"string\"" },
        { "{type: integer}", "1.5", "spec.x: Invalid value: \"number\": spec.x in body must be of type integer: \"number\"" },
        { "{type: integer}", "2.0", "" },
        { "{type: integer}", "true", "spec.x: Invalid value: \"boolean\": spec.x in body must be of type integer: \"boolean\"" },
        { "{type: integer, nullable: true}", "null", "" },
        { "{type: number}", "3", "" },
        { "{type: number}", "\"3\"", "spec.x: Invalid value: \"string\": spec.x in body must be of type number: \"string\"" },
        { "{type: string}", "3", "spec.x: Invalid value: \"integer\": spec.x in body must be of type string: \"integer\"" },
        { "{type: boolean}", "\"true\"", "spec.x: Invalid value: \"string\": spec.x in body must be of type boolean: \"string\"" },
        { "{type: object}", "[]", "spec.x: Invalid value: \"array\": spec.x in body must be of type object: \"array\"" },
        { "{type: array, items: {type: string}}", "{}", "spec.x: Invalid value: \"object\": spec.x in body must be of type array: \"object\"" },
        { "{x-kubernetes-int-or-string: true}", "80", "" },
        { "{x-kubernetes-int-or-string: true}", "\"http\"", "" },
        { "{x-kubernetes-int-or-string: true}", "1.5", "spec.x: Invalid value: \"number\": spec.x in body must be of type integer,string: \"number\"" },
        { "{type: integer, maximum: 65535}", "70000", "spec.x: Invalid value: 70000: spec.x in body should be less than or equal to 65535" },
        { "{type: integer, maximum: 65535}", "65535", "" },
        { "{type: integer, maximum: 10, exclusiveMaximum: true}", "10", "spec.x: Invalid value: 10: spec.x in body should be less than 10" },
        { "{type: integer, minimum: 1}", "0", "spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1" },
        { "{type: integer, minimum: 1, exclusiveMinimum: true}", "1", "spec.x: Invalid value: 1: spec.x in body should be greater than 1" },
        { "{type: number, minimum: 0.5}", "0.25", "spec.x: Invalid value: 0.25: spec.x in body should be greater than or equal to 0.5" },
        { "{type: number, maximum: 1000000}", "2000000.5", "spec.x: Invalid value: 2.0000005e+06: spec.x in body should be less than or equal to 1e+06" },
        { "{type: integer, multipleOf: 5}", "12", "spec.x: Invalid value: 12: spec.x in body should be a multiple of 5" },
        { "{type: integer, multipleOf: 5}", "15", "" },
        { "{type: number, multipleOf: 0.5}", "1.25", "spec.x: Invalid value: 1.25: spec.x in body should be a multiple of 0.5" },
        { "{type: integer, minimum: 10, multipleOf: 4}", "6", "spec.x: Invalid value: 6: spec.x in body should be a multiple of 4\nspec.x: Invalid value: 6: spec.x in body should be greater than or equal to 10" },
        { "{type: integer, format: int32}", "5000000000", "" },
        { "{type: integer, format: int32}", "true", "spec.x: Invalid value: \"\": spec.x in body must be of type int32: \"\"" },
        { "{type: integer, format: int32}", "\"1\"", "spec.x: Invalid value: \"string\": spec.x in body must be of type integer: \"string\"" },
        { "{type: string, format: date-time}", "5", "spec.x: Invalid value: \"int64\": spec.x in body must be of type date-time: \"int64\"" },
        { "{type: string, maxLength: 3}", "\"abcd\"", "spec.x: Too long: may not be more than 3 bytes" },
        { "{type: string, maxLength: 1}", "\"ab\"", "spec.x: Too long: may not be more than 1 byte" },
        { "{type: string, maxLength: 3}", "\"été\"", "" },
        { "{type: string, minLength: 1}", "\"\"", "spec.x: Invalid value: \"\": spec.x in body should be at least 1 chars long" },
        { "{type: string, pattern: '^[a-z]+$'}", "\"ab1\"", "spec.x: Invalid value: \"ab1\": spec.x in body should match '^[a-z]+$'" },
        { "{type: string, pattern: '^[a-z]+$', maxLength: 2}", "\"ab1\"", "spec.x: Too long: may not be more than 2 bytes" },
        { "{type: string, enum: [a, b]}", "\"x\"", "spec.x: Unsupported value: \"x\": supported values: \"a\", \"b\"" },
        { "{type: string, enum: [a, b]}", "\"b\"", "" },
        { "{type: integer, enum: [1, 2]}", "3", "spec.x: Unsupported value: 3: supported values: \"1\", \"2\"" },
        { "{type: string, enum: [a], nullable: true}", "null", "spec.x: Unsupported value: null: supported values: \"a\"" },
        { "{type: string, format: date-time}", "\"2026-11-27T08:47:32Z\"", "" },
        { "{type: string, format: date-time}", "\"2026-11-27T08:47:32.123+02:00\"", "" },
        { "{type: string, format: date-time}", "\"yesterday\"", "spec.x: Invalid value: \"yesterday\": spec.x in body must be of type date-time: \"yesterday\"" },
        { "{type: string, format: date-time}", "\"2026-11-27t08:47:32z\"", "" },
        { "{type: string, format: date-time}", "\"2026-11-27T24:00:00Z\"", "spec.x: Invalid value: \"2026-11-27T24:00:00Z\": spec.x in body must be of type date-time: \"2026-11-27T24:00:00Z\"" },
        { "{type: string, format: date-time}", "\"2026-11-27T08:47:32\"", "spec.x: Invalid value: \"2026-11-27T08:47:32\": spec.x in body must be of type date-time: \"2026-11-27T08:47:32\"" },
        { "{type: string, format: date}", "\"2026-11-27\"", "" },
        { "{type: string, format: date}", "\"2026-13-27\"", "spec.x: Invalid value: \"2026-13-27\": spec.x in body must be of type date: \"2026-13-27\"" },
        { "{type: string, format: ipv4}", "\"10.0.0.1\"", "" },
        { "{type: string, format: ipv4}", "\"10.0.0\"", "spec.x: Invalid value: \"10.0.0\": spec.x in body must be of type ipv4: \"10.0.0\"" },
        { "{type: string, format: cidr}", "\"10.0.0.1/8\"", "" },
        { "{type: string, format: cidr}", "\"10.0.0.0/33\"", "spec.x: Invalid value: \"10.0.0.0/33\": spec.x in body must be of type cidr: \"10.0.0.0/33\"" },
        { "{type: string, format: uuid}", "\"not-a-uuid\"", "spec.x: Invalid value: \"not-a-uuid\": spec.x in body must be of type uuid: \"not-a-uuid\"" },
        { "{type: string, format: byte}", "\"aGVsbG8=\"", "" },
        { "{type: string, format: made-up}", "\"anything\"", "" },
        { "{type: array, items: {type: string}, maxItems: 2}", "[\"a\",\"b\",\"c\"]", "spec.x: Too many: 3: must have at most 2 items" },
        { "{type: array, items: {type: string}, maxItems: 1}", "[\"a\",\"b\"]", "spec.x: Too many: 2: must have at most 1 item" },
        { "{type: array, items: {type: string}, minItems: 1}", "[]", "spec.x: Invalid value: 0: spec.x in body should have at least 1 items" },
        { "{type: array, items: {type: integer, maximum: 3}}", "[1,5,7]", "spec.x[1]: Invalid value: 5: spec.x[1] in body should be less than or equal to 3\nspec.x[2]: Invalid value: 7: spec.x[2] in body should be less than or equal to 3" },
        { "{type: object, required: [host], properties: {host: {type: string}}}", "{}", "spec.x.host: Required value" },
        { "{type: object, properties: {a: {type: object, required: [b], properties: {b: {type: string}}}}}", "{\"a\":{}}", "spec.x.a.b: Required value" },
        { "{type: object, additionalProperties: {type: integer}}", "{\"a\":1,\"b\":\"2\"}", "spec.x.b: Invalid value: \"string\": spec.x.b in body must be of type integer: \"string\"" },
        { "{type: object, maxProperties: 1, additionalProperties: {type: string}}", "{\"a\":\"1\",\"b\":\"2\"}", "spec.x: Too many: 2: must have at most 1 item" },
        { "{type: object, minProperties: 2, additionalProperties: {type: string}}", "{\"a\":\"1\"}", "spec.x: Invalid value: 2: spec.x in body should have at least 2 properties" },
        { "{type: object, x-kubernetes-preserve-unknown-fields: true}", "{\"anything\":[1]}", "" },
        { "{type: string, anyOf: [{maxLength: 2}, {pattern: '^x'}]}", "\"abc\"", "<nil>: Invalid value: \"\": \"spec.x\" must validate at least one schema (anyOf)\nspec.x: Too long: may not be more than 2 bytes" },
        { "{type: string, anyOf: [{maxLength: 2}, {pattern: '^x'}]}", "\"xbc\"", "" },
        { "{type: integer, oneOf: [{minimum: 0}, {maximum: 10}]}", "5", "<nil>: Invalid value: \"\": \"spec.x\" must validate one and only one schema (oneOf). Found 2 valid alternatives" },
        { "{type: integer, oneOf: [{minimum: 0}, {maximum: 10}]}", "50", "" },
        { "{type: integer, allOf: [{minimum: 0}, {maximum: 10}]}", "50", "spec.x: Invalid value: 50: spec.x in body should be less than or equal to 10\n<nil>: Invalid value: \"\": \"spec.x\" must validate all the schemas (allOf)" },
        { "{type: string, not: {enum: [forbidden]}}", "\"forbidden\"", "<nil>: Invalid value: \"\": \"spec.x\" must not validate the schema (not)" },
        { "{type: string, not: {enum: [forbidden]}}", "\"fine\"", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validates_each_keyword_with_the_servers_message(string fieldSchema, string value, string expected)
    {
        var schema = Schemas.ForField(fieldSchema);

        var errors = schema.Validate(Schemas.ResourceWithValue(value), null);

        Assert.Equal(expected, Schemas.Messages(errors));
    }

    [Fact]
    public void A_missing_required_top_level_field_is_reported_at_its_own_path()
    {
        var schema = Schemas.Compile("""
            type: object
            required: [spec]
            properties:
              spec: {type: object, required: [host, user], properties: {host: {type: string}, user: {type: string}}}
            """);

        Assert.Equal("spec: Required value", Schemas.Messages(schema.Validate(YamlJson.Parse("{apiVersion: a/v1, kind: W, metadata: {name: w}}").AsObject(), null)));
        Assert.Equal("spec.host: Required value\nspec.user: Required value", Schemas.Messages(schema.Validate(YamlJson.Parse("{apiVersion: a/v1, kind: W, metadata: {name: w}, spec: {}}").AsObject(), null)));
    }

    [Fact]
    public void Metadata_name_constraints_apply_and_other_metadata_is_free()
    {
        var schema = Schemas.Compile("""
            type: object
            properties:
              metadata: {type: object, properties: {name: {type: string, maxLength: 5}}}
            """);

        Assert.Empty(schema.Validate(YamlJson.Parse("{metadata: {name: short, labels: {a: b}, annotations: {c: d}}}").AsObject(), null));
        Assert.Equal("metadata.name: Too long: may not be more than 5 bytes", Schemas.Messages(schema.Validate(YamlJson.Parse("{metadata: {name: toolong}}").AsObject(), null)));
    }

    public static TheoryData<string, string, string> ListTypeCases => new()
    {
        { "{type: array, x-kubernetes-list-type: set, items: {type: string}}", "[\"a\",\"b\",\"a\",\"a\"]", "spec.x[2]: Duplicate value: \"a\"" },
        { "{type: array, x-kubernetes-list-type: set, items: {type: integer}}", "[1,2,3]", "" },
        { "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, required: [name], properties: {name: {type: string}, v: {type: integer}}}}", "[{\"name\":\"a\",\"v\":1},{\"name\":\"a\",\"v\":2}]", "spec.x[1]: Duplicate value: {\"name\":\"a\"}" },
        { "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name, port], items: {type: object, required: [name, port], properties: {name: {type: string}, port: {type: integer}}}}", "[{\"name\":\"a\",\"port\":1},{\"name\":\"a\",\"port\":2},{\"port\":1,\"name\":\"a\"}]", "spec.x[2]: Duplicate value: {\"name\":\"a\",\"port\":1}" },
        { "{type: array, x-kubernetes-list-type: atomic, items: {type: string}}", "[\"a\",\"a\"]", "" },
    };

    [Theory]
    [MemberData(nameof(ListTypeCases))]
    public void List_types_set_and_map_refuse_duplicates(string fieldSchema, string value, string expected)
    {
        var schema = Schemas.ForField(fieldSchema);

        Assert.Equal(expected, Schemas.Messages(schema.Validate(Schemas.ResourceWithValue(value), null)));
    }
}
