using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

public class CelRuleTests
{
    private const string SpecProperties = """
                host: {type: string}
                port: {type: integer}
                user: {type: string}
                hostKey: {type: string}
                ratio: {type: number}
                count: {type: string}
                enabled: {type: boolean}
                names: {type: array, items: {type: string}}
                labels: {type: object, additionalProperties: {type: string}}
                nested: {type: object, properties: {a: {type: integer}, b: {type: integer}}}
        """;

    /// <summary>A rule on spec, the spec, and whether the rule holds.</summary>
    public static TheoryData<string, string, bool> Rules => new()
    {
        { "self.host.matches('^[^\\\\s]+$')", "{host: bastion.example.com}", true },
        { "self.host.matches('^[^\\\\s]+$')", "{host: 'bad host'}", false },
        { "size(self.host) <= 253", "{host: h}", true },
        { "size(self.host) <= 3", "{host: long-host}", false },
        { "self.host.size() > 0", "{host: ''}", false },
        { "!self.host.matches('\\\\s')", "{host: 'a b'}", false },
        { "self.port >= 1 && self.port <= 65535", "{port: 22}", true },
        { "self.port >= 1 && self.port <= 65535", "{port: 70000}", false },
        { "size(self.user) > 0", "{user: ''}", false },
        { "!has(self.hostKey) || self.hostKey == '' || self.hostKey.startsWith('ssh-') || self.hostKey.startsWith('SHA256:')", "{}", true },
        { "!has(self.hostKey) || self.hostKey == '' || self.hostKey.startsWith('ssh-') || self.hostKey.startsWith('SHA256:')", "{hostKey: ''}", true },
        { "!has(self.hostKey) || self.hostKey == '' || self.hostKey.startsWith('ssh-') || self.hostKey.startsWith('SHA256:')", "{hostKey: 'SHA256:abc'}", true },
        { "!has(self.hostKey) || self.hostKey == '' || self.hostKey.startsWith('ssh-') || self.hostKey.startsWith('SHA256:')", "{hostKey: 'nope'}", false },
        { "self.host.endsWith('.com') && self.host.contains('example')", "{host: bastion.example.com}", true },
        { "self.names.all(n, n.startsWith('a'))", "{names: [ab, ac]}", true },
        { "self.names.all(n, n.startsWith('a'))", "{names: [ab, bc]}", false },
        { "self.names.exists(n, n == 'x')", "{names: [a, x]}", true },
        { "self.names.exists_one(n, n == 'x')", "{names: [x, x]}", false },
        { "size(self.names) <= 2", "{names: [a, b, c]}", false },
        { "self.labels.all(k, k.startsWith('app'))", "{labels: {app: x, apps: y}}", true },
        { "self.labels.all(k, self.labels[k] != '')", "{labels: {app: ''}}", false },
        { "self.port in [22, 2222]", "{port: 2222}", true },
        { "self.port in [22, 2222]", "{port: 23}", false },
        { "self.ratio > 0.5", "{ratio: 0.75}", true },
        { "self.ratio > 0.5", "{ratio: 1}", true },
        { "int(self.count) > 3", "{count: '7'}", true },
        { "string(self.port) == '22'", "{port: 22}", true },
        { "self.port / self.nested.a == 3 && self.port % self.nested.a == 1 && 7 / self.nested.a == 3", "{port: 7, nested: {a: 2}}", true },
        { "self.port + 1 == 23 && self.port * 2 - 4 == 40 && self.port / 2 == 11 && self.port % 5 == 2", "{port: 22}", true },
        { "has(self.nested.a) ? self.nested.a < self.nested.b : true", "{nested: {a: 1, b: 2}}", true },
        { "has(self.nested.a) ? self.nested.a < self.nested.b : true", "{nested: {a: 3, b: 2}}", false },
        { "has(self.nested.a) ? self.nested.a < self.nested.b : true", "{nested: {b: 2}}", true },
        { "self.enabled == true || !has(self.host)", "{enabled: false, host: h}", false },
        { "self.host.lowerAscii() == 'bastion.example.com' && self.host.upperAscii() == 'BASTION.EXAMPLE.COM'", "{host: Bastion.Example.COM}", true },
        { "self.host.trim() == 'h'", "{host: '  h '}", true },
        { "self.host.split('.').size() == 3 && self.host.split('.')[2] == 'c'", "{host: a.b.c}", true },
        { "self.host.indexOf('.') == 1 && self.host.lastIndexOf('.') == 3 && self.host.indexOf('x') == -1", "{host: a.b.c}", true },
        { "self.host.replace('.', '-') == 'a-b-c'", "{host: a.b.c}", true },
        { "self.names.join(',') == 'a,b' && self.names.join() == 'ab'", "{names: [a, b]}", true },
        { "isURL(self.host)", "{host: 'https://example.com/x'}", true },
        { "isURL(self.host)", "{host: 'not a url'}", false },
        { "isURL(self.host)", "{host: 'relative/path'}", false },
        { "self.names.map(n, n + '!').exists(n, n == 'a!')", "{names: [a]}", true },
        { "size(self.names.filter(n, n != 'a')) == 1", "{names: [a, b]}", true },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Evaluates_rules_with_self_bound_to_the_node(string rule, string spec, bool holds)
    {
        var schema = SchemaWithSpecRule($"rule: {Quote(rule)}");

        var errors = schema.Validate(Schemas.Resource(spec), null);

        Assert.Equal(holds ? "" : $"spec: Invalid value: \"object\": failed rule: {rule}", Schemas.Messages(errors));
    }

    /// <summary>A rule entry on spec, the spec, and the expected errors.</summary>
    public static TheoryData<string, string, string> Messages => new()
    {
        { "{rule: 'self.port != 23', message: 'port 23 is telnet'}", "{port: 23}", "spec: Invalid value: \"object\": port 23 is telnet" },
        { "{rule: 'self.port != 23', message: '  padded  '}", "{port: 23}", "spec: Invalid value: \"object\": padded" },
        { "{rule: 'self.port != 23', messageExpression: \"'port ' + string(self.port) + ' is telnet'\"}", "{port: 23}", "spec: Invalid value: \"object\": port 23 is telnet" },
        { "{rule: 'self.port != 23', message: fallback, messageExpression: \"'key ' + self.hostKey\"}", "{port: 23}", "spec: Invalid value: \"object\": fallback" },
        { "{rule: 'self.port != 23', messageExpression: \"''\"}", "{port: 23}", "spec: Invalid value: \"object\": failed rule: self.port != 23" },
        { "{rule: 'self.port != 23', message: m, fieldPath: .port}", "{port: 23}", "spec.port: Invalid value: \"object\": m" },
        { "{rule: 'self.port != 23', message: m, fieldPath: \"['port']\"}", "{port: 23}", "spec.port: Invalid value: \"object\": m" },
        { "{rule: 'self.nested.a != 1', message: m, fieldPath: .nested.a}", "{nested: {a: 1}}", "spec.nested.a: Invalid value: \"object\": m" },
        { "{rule: 'self.port != 23', message: m, fieldPath: .labels.x}", "{port: 23}", "spec.labels[x]: Invalid value: \"object\": m" },
        { "{rule: 'self.port != 23', message: m, reason: FieldValueForbidden}", "{port: 23}", "spec: Forbidden: m" },
        { "{rule: 'self.port != 23', message: m, reason: FieldValueRequired}", "{port: 23}", "spec: Required value: m" },
        { "{rule: 'self.port != 23', message: m, reason: FieldValueDuplicate}", "{port: 23}", "spec: Duplicate value: \"object\"" },
        { "{rule: 'self.port != 23', message: m, reason: FieldValueInvalid}", "{port: 23}", "spec: Invalid value: \"object\": m" },
        { "{rule: \"self.host == 'x'\"}", "{port: 1}", "spec: Invalid value: \"object\": no such key: host evaluating rule: self.host == 'x'" },
        { "{rule: 'self.port / self.nested.a > 0'}", "{port: 1, nested: {a: 0}}", "spec: Invalid value: \"object\": division by zero evaluating rule: self.port / self.nested.a > 0" },
        { "{rule: \"self.host == 'x'\", message: named}", "{port: 1}", "spec: Invalid value: \"object\": no such key: host evaluating rule: named" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Reports_failures_with_message_message_expression_field_path_and_reason(string ruleEntry, string spec, string expected)
    {
        var schema = SchemaWithSpecRule(ruleEntry);

        Assert.Equal(expected, Schemas.Messages(schema.Validate(Schemas.Resource(spec), null)));
    }

    [Fact]
    public void Rules_at_every_level_see_their_own_value_as_self()
    {
        var schema = Schemas.Compile("""
            type: object
            x-kubernetes-validations:
              - {rule: "self.metadata.name.startsWith('w')", message: root}
            properties:
              spec:
                type: object
                properties:
                  port: {type: integer, x-kubernetes-validations: [{rule: 'self != 23', message: port}]}
                  names: {type: array, items: {type: string, x-kubernetes-validations: [{rule: "self != 'bad'", message: item}]}}
                  labels: {type: object, additionalProperties: {type: string, x-kubernetes-validations: [{rule: 'self.size() < 3', message: label}]}}
            """);

        var errors = schema.Validate(YamlJson.Parse("{apiVersion: a/v1, kind: W, metadata: {name: x}, spec: {port: 23, names: [ok, bad], labels: {a: long, b: ok}}}").AsObject(), null);

        Assert.Equal(
            """
            <nil>: Invalid value: "object": root
            spec.port: Invalid value: "integer": port
            spec.names[1]: Invalid value: "string": item
            spec.labels[a]: Invalid value: "string": label
            """,
            Schemas.Messages(errors));
    }

    [Fact]
    public void Transition_rules_run_only_on_update_and_compare_with_the_old_value()
    {
        var schema = SchemaWithSpecRule("{rule: 'self.user == oldSelf.user', message: user is immutable}");
        var created = Schemas.Resource("{user: a}");
        var changed = Schemas.Resource("{user: b}");

        Assert.Empty(schema.Validate(changed, null));
        Assert.Empty(schema.Validate(created, created));
        Assert.Equal("spec: Invalid value: \"object\": user is immutable", Schemas.Messages(schema.Validate(changed, created)));
    }

    [Fact]
    public void Transition_rules_on_a_field_skip_a_field_that_did_not_exist_before()
    {
        var schema = Schemas.ForField("{type: string, x-kubernetes-validations: [{rule: 'self == oldSelf', message: immutable}]}");
        var without = Schemas.Resource("{}");
        var with = Schemas.ResourceWithValue("\"a\"");

        Assert.Empty(schema.Validate(with, without));
        Assert.Equal("spec.x: Invalid value: \"string\": immutable", Schemas.Messages(schema.Validate(Schemas.ResourceWithValue("\"b\""), with)));
    }

    [Fact]
    public void Transition_rules_follow_list_map_items_by_key()
    {
        var schema = Schemas.ForField("""
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [name]
            items:
              type: object
              required: [name]
              properties:
                name: {type: string}
                value: {type: string, x-kubernetes-validations: [{rule: 'self == oldSelf', message: immutable}]}
            """);
        var old = Schemas.ResourceWithValue("""[{"name":"a","value":"1"},{"name":"b","value":"2"}]""");
        var reordered = Schemas.ResourceWithValue("""[{"name":"b","value":"2"},{"name":"a","value":"1"},{"name":"c","value":"3"}]""");
        var changed = Schemas.ResourceWithValue("""[{"name":"b","value":"9"}]""");

        Assert.Empty(schema.Validate(reordered, old));
        Assert.Equal("spec.x[0].value: Invalid value: \"string\": immutable", Schemas.Messages(schema.Validate(changed, old)));
    }

    [Fact]
    public void A_rule_that_cannot_be_evaluated_is_a_field_error_not_a_failure()
    {
        var schema = Schemas.Compile("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations: [{rule: "self.host.startsWith('a')"}]
                properties:
                  host: {type: string, nullable: true}
            """);

        var error = Assert.Single(schema.Validate(Schemas.Resource("{host: null}"), null));

        Assert.Equal("spec", error.Path);
        Assert.Equal(FieldErrorType.Invalid, error.Type);
        Assert.EndsWith("self.host.startsWith('a')", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_errors_that_block_rules_are_followed_by_the_servers_note()
    {
        var schema = Schemas.Compile("""
            type: object
            properties:
              spec:
                type: object
                required: [host]
                properties:
                  host: {type: string}
                  port: {type: integer, maximum: 10}
                x-kubernetes-validations: [{rule: 'false', message: never}]
            """);

        Assert.Equal(
            "spec.host: Required value\n<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            Schemas.Messages(schema.Validate(Schemas.Resource("{}"), null)));
        Assert.Equal(
            "spec.port: Invalid value: 11: spec.port in body should be less than or equal to 10\nspec: Invalid value: \"object\": never",
            Schemas.Messages(schema.Validate(Schemas.Resource("{host: h, port: 11}"), null)));
    }

    private static CrdSchema SchemaWithSpecRule(string ruleEntry) => Schemas.Compile($"""
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
              - {ruleEntry}
            properties:
        {SpecProperties}
        """);

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
