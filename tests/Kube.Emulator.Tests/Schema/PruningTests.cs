using Kube.Emulator.Objects;

namespace Kube.Emulator.Tests.Schema;

public class PruningTests
{
    private const string RootSchema = """
        type: object
        properties:
          spec:
            type: object
            properties:
              host: {type: string}
              nested:
                type: object
                properties:
                  keep: {type: string}
              items:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
              labels:
                type: object
                additionalProperties: {type: string}
              free:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known:
                    type: object
                    properties:
                      a: {type: string}
              loose:
                type: array
                x-kubernetes-preserve-unknown-fields: true
                items:
                  type: object
                  properties:
                    strict: {type: object, properties: {a: {type: string}}}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties:
                  spec: {type: object, properties: {image: {type: string}}}
          status:
            type: object
            properties:
              ready: {type: boolean}
        """;

    /// <summary>The object as sent, as kept (compact JSON), and the pruned paths.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "{apiVersion: a/v1, kind: W, metadata: {name: w, labels: {x: y}}, spec: {host: h}}",
            """{"apiVersion":"a/v1","kind":"W","metadata":{"name":"w","labels":{"x":"y"}},"spec":{"host":"h"}}""",
            ""
        },
        {
            "{apiVersion: a/v1, kind: W, metadata: {name: w}, spec: {host: h, extra: 1}, other: 2}",
            """{"apiVersion":"a/v1","kind":"W","metadata":{"name":"w"},"spec":{"host":"h"}}""",
            "spec.extra, other"
        },
        {
            "{spec: {nested: {keep: k, drop: d}, items: [{name: a, x: 1}, {y: 2}]}}",
            """{"spec":{"nested":{"keep":"k"},"items":[{"name":"a"},{}]}}""",
            "spec.nested.drop, spec.items[0].x, spec.items[1].y"
        },
        {
            "{spec: {labels: {a: b, c: d}}}",
            """{"spec":{"labels":{"a":"b","c":"d"}}}""",
            ""
        },
        {
            "{spec: {free: {anything: {deep: 1}, known: {a: x, b: y}}}}",
            """{"spec":{"free":{"anything":{"deep":1},"known":{"a":"x"}}}}""",
            "spec.free.known.b"
        },
        {
            "{spec: {loose: [{other: 1, strict: {a: x, b: y}}]}}",
            """{"spec":{"loose":[{"other":1,"strict":{"a":"x"}}]}}""",
            "spec.loose[0].strict.b"
        },
        {
            "{spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {image: i, extra: e}, junk: 1}}}",
            """{"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"image":"i"}}}}""",
            "spec.template.spec.extra, spec.template.junk"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prunes_undeclared_fields_and_reports_their_paths(string sent, string kept, string prunedPaths)
    {
        var schema = Schemas.Compile(RootSchema);
        var obj = YamlJson.Parse(sent).AsObject();

        var pruned = schema.Prune(obj);

        Assert.Equal(kept, obj.ToJsonString());
        Assert.Equal(prunedPaths, string.Join(", ", pruned));
    }
}
