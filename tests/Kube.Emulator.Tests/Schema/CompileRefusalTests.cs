using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

public class CompileRefusalTests
{
    /// <summary>A field schema at spec.x, and the start of the refusal message.</summary>
    public static TheoryData<string, string> FieldRefusals => new()
    {
        { "{type: string, $ref: '#/definitions/x'}", "openAPIV3Schema.properties[spec].properties[x].$ref: is forbidden" },
        { "{type: object, patternProperties: {'^a': {type: string}}}", "openAPIV3Schema.properties[spec].properties[x].patternProperties: is forbidden" },
        { "{type: string, frobnicate: true}", "openAPIV3Schema.properties[spec].properties[x].frobnicate: is not a keyword" },
        { "{description: no type}", "openAPIV3Schema.properties[spec].properties[x].type: must not be empty" },
        { "{type: text}", "openAPIV3Schema.properties[spec].properties[x].type: unsupported type \"text\"" },
        { "{type: array}", "openAPIV3Schema.properties[spec].properties[x].items: must be specified" },
        { "{type: array, items: [{type: string}]}", "openAPIV3Schema.properties[spec].properties[x].items: must be a single schema" },
        { "{type: array, items: {type: string}, uniqueItems: true}", "openAPIV3Schema.properties[spec].properties[x].uniqueItems: uniqueItems cannot be set to true" },
        { "{type: object, additionalProperties: false}", "openAPIV3Schema.properties[spec].properties[x].additionalProperties: additionalProperties cannot be set to false" },
        { "{type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}", "openAPIV3Schema.properties[spec].properties[x].additionalProperties: additionalProperties and properties are mutual exclusive" },
        { "{type: string, properties: {a: {type: string}}}", "openAPIV3Schema.properties[spec].properties[x].type: must be object if properties are specified" },
        { "{type: string, anyOf: [{type: integer}]}", "openAPIV3Schema.properties[spec].properties[x].anyOf[0].type: must not be used inside allOf, anyOf, oneOf or not" },
        { "{type: string, allOf: [{default: a}]}", "openAPIV3Schema.properties[spec].properties[x].allOf[0].default: must not be used inside" },
        { "{type: string, allOf: [{x-kubernetes-validations: [{rule: 'true'}]}]}", "openAPIV3Schema.properties[spec].properties[x].allOf[0].x-kubernetes-validations: must not be used inside" },
        { "{type: string, format: email}", "openAPIV3Schema.properties[spec].properties[x].format: format \"email\" is checked by the real API server but not by the emulator" },
        { "{type: string, pattern: '(unclosed'}", "openAPIV3Schema.properties[spec].properties[x].pattern: must be a valid regular expression" },
        { "{type: string, pattern: '^(?!x)'}", "openAPIV3Schema.properties[spec].properties[x].pattern: must be a valid regular expression" },
        { "{type: integer, default: '22'}", "openAPIV3Schema.properties[spec].properties[x].default: invalid default: default: Invalid value: \"string\": default in body must be of type integer: \"string\"" },
        { "{type: integer, default: 70000, maximum: 65535}", "openAPIV3Schema.properties[spec].properties[x].default: invalid default: default: Invalid value: 70000: default in body should be less than or equal to 65535" },
        { "{type: integer, default: 0, x-kubernetes-validations: [{rule: 'self > 0', message: must be positive}]}", "openAPIV3Schema.properties[spec].properties[x].default: invalid default: default: Invalid value: \"integer\": must be positive" },
        { "{type: array, default: [a, a], x-kubernetes-list-type: set, items: {type: string}}", "openAPIV3Schema.properties[spec].properties[x].default: invalid default: default[1]: Duplicate value: \"a\"" },
        { "{type: object, default: {a: 1}, properties: {b: {type: string}}}", "openAPIV3Schema.properties[spec].properties[x].default: must not have unknown fields: a" },
        { "{type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-list-map-keys: must not be empty" },
        { "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}", "openAPIV3Schema.properties[spec].properties[x].items.properties[name]: list map keys must be required or have a default" },
        { "{type: array, x-kubernetes-list-type: set, items: {type: object, properties: {a: {type: string}}}}", "openAPIV3Schema.properties[spec].properties[x].items.type: must be a scalar" },
        { "{type: array, x-kubernetes-list-type: bag, items: {type: string}}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-list-type: unsupported value \"bag\"" },
        { "{type: string, x-kubernetes-int-or-string: true}", "openAPIV3Schema.properties[spec].properties[x].type: must be empty when x-kubernetes-int-or-string is true" },
    };

    [Theory]
    [MemberData(nameof(FieldRefusals))]
    public void Refuses_schemas_the_real_server_refuses_or_the_emulator_cannot_evaluate(string fieldSchema, string expectedStart)
    {
        var refusal = Assert.Throws<CrdSchemaException>(() => Schemas.ForField(fieldSchema));

        Assert.StartsWith(expectedStart, refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>A rule entry on an object field with properties a (string), n (integer) and l (string list), and the start of the refusal.</summary>
    public static TheoryData<string, string> RuleRefusals => new()
    {
        { "{rule: 'self.a =='}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: Line 1:" },
        { "{rule: 'self.a.quantity() == self.a'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: undeclared reference to 'quantity'" },
        { "{rule: 'self.n.lowerAscii() == \"a\"'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'lowerAscii' applied to '(int)'" },
        { "{rule: 'self.a.join(\",\") == \"a\"'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'join' applied to '(string)'" },
        { "{rule: 'url(self.a).getHost() == \"h\"'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: undeclared reference to 'url'" },
        { "{rule: 'self.missing == 1'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: undefined field 'missing': self.missing == 1" },
        { "{rule: 'other.a == 1'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: undeclared reference to 'other'" },
        { "{rule: 'self.n.x == 1'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: type 'int' does not support field selection" },
        { "{rule: 'self.l.all(i, i.size() > 0 && j)'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: undeclared reference to 'j'" },
        { "{rule: 'self.a == 1'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for '_==_' applied to '(string, int)': self.a == 1" },
        { "{rule: 'self.n < self.a'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for '_<_' applied to '(int, string)'" },
        { "{rule: 'self.n + 0.5 > 1.0'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for '_+_' applied to '(int, double)'" },
        { "{rule: 'self.n.startsWith(\"1\")'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'startsWith' applied to '(int)'" },
        { "{rule: 'size(self.n) > 0'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'size' applied to '(int)'" },
        { "{rule: 'self.a'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: must evaluate to bool but evaluates to string" },
        { "{rule: 'self.n > 0', messageExpression: 'self.n'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].messageExpression: compilation failed: must evaluate to string but evaluates to int" },
        { "{rule: 'self.l.all(i, i)'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'all' applied to '(string)'" },
        { "{rule: 'self.a.all(c, true)'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for 'all' applied to '(string)'" },
        { "{rule: '!self.n'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: found no matching overload for '!_' applied to '(int)'" },
        { "{rule: 'has(self)'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: compilation failed: invalid argument to has() macro" },
        { "{rule: \"self.a == 'x'\", messageExpression: 'self.b'}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].messageExpression: compilation failed: undefined field 'b'" },
        { "{rule: 'true', reason: FieldValueBad}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].reason: Unsupported value: \"FieldValueBad\"" },
        { "{rule: 'true', fieldPath: .nope}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].fieldPath: fieldPath \".nope\" does not refer to a valid field" },
        { "{rule: 'true', fieldPath: a}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].fieldPath: expected [ or . but got: a" },
        { "{rule: 'true', message: \"two\\nlines\"}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].message: message must not contain line breaks" },
        { "{rule: ''}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: Required value" },
        { "{rule: 'true', optionalOldSelf: true}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].optionalOldSelf: optionalOldSelf is not supported" },
        { "{rule: 'true', severity: warning}", "openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].severity: is not a field of a validation rule" },
    };

    [Theory]
    [MemberData(nameof(RuleRefusals))]
    public void Refuses_rules_that_do_not_compile_or_use_what_the_engine_lacks(string ruleEntry, string expectedStart)
    {
        var refusal = Assert.Throws<CrdSchemaException>(() => Schemas.ForField("""
            type: object
            x-kubernetes-validations: [RULE]
            properties:
              a: {type: string}
              n: {type: integer}
              l: {type: array, items: {type: string}}
            """.Replace("RULE", ruleEntry, StringComparison.Ordinal)));

        Assert.StartsWith(expectedStart, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_old_self_where_items_cannot_be_correlated()
    {
        var refusal = Assert.Throws<CrdSchemaException>(() => Schemas.ForField("""
            type: array
            items: {type: string, x-kubernetes-validations: [{rule: 'self == oldSelf'}]}
            """));

        Assert.Contains("oldSelf cannot be used on the uncorrelatable portion of the schema", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{type: string}", "openAPIV3Schema.type: must be object at the root")]
    [InlineData("{type: object, properties: {metadata: {type: object, properties: {labels: {type: object}}}}}", "openAPIV3Schema.properties[metadata].properties[labels]: must not be specified: only metadata.name and metadata.generateName may be constrained")]
    [InlineData("{type: object, properties: {metadata: {type: object, properties: {name: {type: string, default: x}}}}}", "openAPIV3Schema.properties[metadata].properties[name].default: must not be used inside metadata")]
    public void Refuses_root_and_metadata_constructs(string rootSchema, string expectedStart)
    {
        var refusal = Assert.Throws<CrdSchemaException>(() => Schemas.Compile(rootSchema));

        Assert.StartsWith(expectedStart, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}")]
    [InlineData("{type: object, x-kubernetes-preserve-unknown-fields: true}")]
    [InlineData("{x-kubernetes-preserve-unknown-fields: true}")]
    [InlineData("{type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}")]
    [InlineData("{type: string, format: int-or-whatever, description: unknown formats are ignored}")]
    [InlineData("{type: object, x-kubernetes-map-type: atomic, additionalProperties: {type: string}}")]
    public void Accepts_the_constructs_the_real_server_accepts(string fieldSchema)
    {
        Assert.NotNull(Schemas.ForField(fieldSchema));
    }
}
