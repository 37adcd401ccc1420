using Kube.Emulator.Objects;

namespace Kube.Emulator.Tests.Schema;

public class RatchetingTests
{
    private const string RootSchema = """
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
              - {rule: "!has(self.mode) || self.mode != 'legacy'", message: spec rule}
            properties:
              port: {type: integer, maximum: 100}
              mode: {type: string}
              note: {type: string}
              host: {type: string, x-kubernetes-validations: [{rule: "self != 'bad'", message: host rule}]}
              count: {type: integer, x-kubernetes-validations: [{rule: 'self > oldSelf', message: must grow}]}
              tags: {type: array, items: {type: string, x-kubernetes-validations: [{rule: "self != 'bad'", message: tag rule}]}}
              items:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    size: {type: integer, maximum: 10}
          status:
            type: object
            properties:
              phase: {type: string}
        """;

    /// <summary>The old spec (which may break today's schema), the new spec, and the errors of the update.</summary>
    public static TheoryData<string, string, string> Updates => new()
    {
        { "{port: 500}", "{port: 500}", "" },
        { "{port: 500}", "{port: 501}", "spec.port: Invalid value: 501: spec.port in body should be less than or equal to 100" },
        { "{port: 500, note: a}", "{port: 500, note: b}", "" },
        { "{host: bad, note: a}", "{host: bad, note: b}", "" },
        { "{host: ok}", "{host: bad}", "spec.host: Invalid value: \"string\": host rule" },
        { "{mode: legacy, note: a}", "{mode: legacy, note: a}", "" },
        { "{mode: legacy, note: a}", "{mode: legacy, note: b}", "spec: Invalid value: \"object\": spec rule" },
        { "{count: 2}", "{count: 2}", "spec.count: Invalid value: \"integer\": must grow" },

        // The items of an atomic list have no correlated old value: their rules are ratcheted when the whole list is unchanged.
        { "{tags: [bad], note: a}", "{tags: [bad], note: b}", "" },
        { "{tags: [bad]}", "{tags: [bad, ok]}", "spec.tags[0]: Invalid value: \"string\": tag rule" },
        { "{items: [{name: a, size: 50}, {name: b, size: 1}]}", "{items: [{name: b, size: 2}, {name: a, size: 50}]}", "" },
        { "{items: [{name: a, size: 50}]}", "{items: [{name: a, size: 51}]}", "spec.items[0].size: Invalid value: 51: spec.items[0].size in body should be less than or equal to 10" },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void Errors_in_unchanged_fields_do_not_block_an_update(string oldSpec, string newSpec, string expected)
    {
        var schema = Schemas.Compile(RootSchema);
        var old = Schemas.Resource(oldSpec);
        var updated = Schemas.Resource(newSpec);
        updated["status"] = YamlJson.Parse("{phase: Ready}");

        Assert.Equal(expected, Schemas.Messages(schema.Validate(updated, old)));
    }

    [Fact]
    public void List_type_errors_count_on_update_only_if_the_old_object_had_none()
    {
        var schema = Schemas.Compile(RootSchema);
        var valid = Schemas.Resource("{items: [{name: a}]}");
        var duplicated = Schemas.Resource("{items: [{name: a}, {name: a}]}");
        var duplicatedMore = Schemas.Resource("{items: [{name: a}, {name: a}, {name: b}, {name: b}]}");

        Assert.Equal("spec.items[1]: Duplicate value: {\"name\":\"a\"}", Schemas.Messages(schema.Validate(duplicated, valid)));
        Assert.Empty(schema.Validate(duplicatedMore, duplicated));
    }

    [Fact]
    public void Creation_is_not_ratcheted()
    {
        var schema = Schemas.Compile(RootSchema);

        Assert.Equal(
            "spec.port: Invalid value: 500: spec.port in body should be less than or equal to 100\nspec.host: Invalid value: \"string\": host rule",
            Schemas.Messages(schema.Validate(Schemas.Resource("{port: 500, host: bad}"), null)));
    }
}
