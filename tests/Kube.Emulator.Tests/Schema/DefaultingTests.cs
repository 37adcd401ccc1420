using Kube.Emulator.Objects;

namespace Kube.Emulator.Tests.Schema;

public class DefaultingTests
{
    private const string SpecSchema = """
        type: object
        properties:
          spec:
            type: object
            properties:
              port: {type: integer, default: 22}
              validate: {type: boolean, default: true}
              host: {type: string}
              retry:
                type: object
                default: {}
                properties:
                  attempts: {type: integer, default: 3}
                  backoff: {type: string, default: 1s}
              tls:
                type: object
                properties:
                  enabled: {type: boolean, default: false}
              ports:
                type: array
                items:
                  type: object
                  properties:
                    protocol: {type: string, default: TCP}
                    port: {type: integer}
              labels:
                type: object
                additionalProperties:
                  type: object
                  properties:
                    weight: {type: integer, default: 1}
              nullable: {type: string, nullable: true, default: x}
              dropped: {type: string}
        """;

    /// <summary>The spec as sent, and as stored after defaulting (compact JSON).</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "{host: h}", """{"host":"h","port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{host: h, port: 2222, validate: false}", """{"host":"h","port":2222,"validate":false,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{host: h, port: null}", """{"host":"h","port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{host: h, nullable: null}", """{"host":"h","nullable":null,"port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"}}""" },
        { "{host: h, dropped: null}", """{"host":"h","port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{retry: {attempts: 5}}", """{"retry":{"attempts":5,"backoff":"1s"},"port":22,"validate":true,"nullable":"x"}""" },
        { "{tls: {}}", """{"tls":{"enabled":false},"port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{ports: [{port: 80}, {port: 53, protocol: UDP}]}", """{"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
        { "{labels: {a: {}, b: {weight: 5}}}", """{"labels":{"a":{"weight":1},"b":{"weight":5}},"port":22,"validate":true,"retry":{"attempts":3,"backoff":"1s"},"nullable":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Defaults_fill_missing_fields_where_the_parent_exists(string spec, string expected)
    {
        var schema = Schemas.Compile(SpecSchema);
        var obj = Schemas.Resource(spec);

        schema.ApplyDefaults(obj);

        Assert.Equal(expected, obj["spec"]!.ToJsonString());
    }

    [Fact]
    public void Defaults_do_not_create_a_missing_parent()
    {
        var schema = Schemas.Compile(SpecSchema);
        var obj = YamlJson.Parse("{apiVersion: a/v1, kind: W, metadata: {name: w}}").AsObject();

        schema.ApplyDefaults(obj);

        Assert.Equal("""{"apiVersion":"a/v1","kind":"W","metadata":{"name":"w"}}""", obj.ToJsonString());
    }

    [Fact]
    public void Removing_a_defaulted_field_brings_the_default_back()
    {
        var schema = Schemas.Compile(SpecSchema);
        var stored = Schemas.Resource("{host: h, port: 2222}");
        schema.ApplyDefaults(stored);
        Assert.Equal(2222, stored["spec"]!["port"]!.GetValue<int>());

        var reset = stored.DeepClone().AsObject();
        reset["spec"]!.AsObject().Remove("port");
        schema.ApplyDefaults(reset);

        Assert.Equal(22, reset["spec"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void Defaults_are_idempotent()
    {
        var schema = Schemas.Compile(SpecSchema);
        var once = Schemas.Resource("{host: h, ports: [{port: 1}]}");
        schema.ApplyDefaults(once);
        var twice = once.DeepClone().AsObject();

        schema.ApplyDefaults(twice);

        Assert.Equal(once.ToJsonString(), twice.ToJsonString());
    }
}
