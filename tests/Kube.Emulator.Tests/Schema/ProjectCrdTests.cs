using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;
using SshTunnel.Testing.Repository;

namespace Kube.Emulator.Tests.Schema;

/// <summary>
/// The engine against the project's own CRD (crds/sshtunnelconnections.yaml): it must compile, and enforce what the
/// CRD declares. Expected rule messages are read from the CRD, so that rewording a message does not break these tests.
/// </summary>
public class ProjectCrdTests
{
    private static readonly Lazy<JsonObject> Version = new(() =>
        YamlJson.Parse(File.ReadAllText(RepositoryPaths.CrdFile)).AsObject()["spec"]!["versions"]!.AsArray()
            .Single(v => v!["storage"]!.GetValue<bool>())!.AsObject());

    public static TheoryData<string> Examples
    {
        get
        {
            var examples = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(RepositoryPaths.CrdExamples, "*.yaml").Order(StringComparer.Ordinal))
            {
                examples.Add(Path.GetFileName(file));
            }

            return examples;
        }
    }

    private static JsonObject OpenApiSchema => Version.Value["schema"]!["openAPIV3Schema"]!.AsObject();

    [Fact]
    public void Compiles_the_schema_and_the_printer_columns()
    {
        Assert.NotNull(CrdSchema.Compile(OpenApiSchema));
        Assert.Equal("Name", PrinterColumnSet.Compile(Version.Value["additionalPrinterColumns"]?.AsArray()).Columns[0].Name);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Accepts_the_examples_as_they_are(string example)
    {
        var schema = CrdSchema.Compile(OpenApiSchema);
        var obj = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CrdExamples, example))).AsObject();

        Assert.Empty(schema.Prune(obj));
        schema.ApplyDefaults(obj);
        Assert.Equal("", Schemas.Messages(schema.Validate(obj, null)));
    }

    [Fact]
    public void Accepts_a_minimal_connection_and_fills_the_defaults()
    {
        var (schema, obj) = Admit("{host: bastion.example.com, user: materialize}");

        Assert.Empty(schema.Validate(obj, null));
        Assert.Equal(22, obj["spec"]!["port"]!.GetValue<int>());
        Assert.True(obj["spec"]!["validate"]!.GetValue<bool>());
    }

    [Fact]
    public void Resetting_the_port_brings_back_22()
    {
        var (schema, obj) = Admit("{host: h, user: u, port: 2222}");
        Assert.Equal(2222, obj["spec"]!["port"]!.GetValue<int>());

        obj["spec"]!.AsObject().Remove("port");
        schema.ApplyDefaults(obj);

        Assert.Equal(22, obj["spec"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void Requires_host_and_user()
    {
        var (schema, obj) = Admit("{port: 22}");

        var errors = schema.Validate(obj, null);

        Assert.Contains(errors, e => e.ToString() == "spec.host: Required value");
        Assert.Contains(errors, e => e.ToString() == "spec.user: Required value");
    }

    [Theory]
    [InlineData("{host: 'bad host', user: u}", "host")]
    [InlineData("{host: '', user: u}", "host")]
    [InlineData("{host: h, user: ''}", "user")]
    [InlineData("{host: h, user: u, hostKey: nope}", "hostKey")]
    [InlineData("{host: h, user: u, port: 0}", "port")]
    public void Refuses_invalid_fields_with_the_crds_own_messages(string spec, string field)
    {
        var (schema, obj) = Admit(spec);

        var errors = schema.Validate(obj, null).Where(e => e.Path == "spec." + field).ToList();

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => RuleMessages(field).Contains(e.Detail));
    }

    [Theory]
    [InlineData("{host: h, user: u, hostKey: ''}")]
    [InlineData("{host: h, user: u, hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU'}")]
    [InlineData("{host: h, user: u, hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'}")]
    [InlineData("{host: 192.0.2.10, user: u, port: 65535, validate: false}")]
    public void Accepts_valid_connections(string spec)
    {
        var (schema, obj) = Admit(spec);

        Assert.Equal("", Schemas.Messages(schema.Validate(obj, null)));
    }

    [Fact]
    public void Refuses_a_port_out_of_range_with_the_servers_message()
    {
        var (schema, obj) = Admit("{host: h, user: u, port: 70000}");

        Assert.Contains(schema.Validate(obj, null), e => e.ToString() == "spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535");
    }

    [Fact]
    public void Validates_status_conditions_as_a_list_map()
    {
        var (schema, obj) = Admit("{host: h, user: u}");
        obj["status"] = YamlJson.Parse("""
            conditions:
              - {type: Ready, status: 'True', lastTransitionTime: '2026-11-27T08:47:32Z', reason: Connected, message: ok}
              - {type: Ready, status: Maybe, lastTransitionTime: '2026-11-27T08:47:32Z', reason: Connected, message: ok}
            """);

        var errors = Schemas.Messages(schema.Validate(obj, null));

        Assert.Contains("status.conditions[1].status: Unsupported value: \"Maybe\": supported values: \"True\", \"False\", \"Unknown\"", errors, StringComparison.Ordinal);
        Assert.Contains("status.conditions[1]: Duplicate value: {\"type\":\"Ready\"}", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Prunes_unknown_spec_fields()
    {
        var schema = CrdSchema.Compile(OpenApiSchema);
        var obj = Connection("{host: h, user: u, extra: 1}");

        Assert.Equal(["spec.extra"], schema.Prune(obj));
    }

    [Fact]
    public void Renders_the_printer_columns_of_a_connection()
    {
        var columns = PrinterColumnSet.Compile(Version.Value["additionalPrinterColumns"]?.AsArray());
        var (_, obj) = Admit("{host: bastion, user: materialize}");
        obj["status"] = YamlJson.Parse("""
            conditions:
              - {type: Ready, status: 'True', lastTransitionTime: '2026-11-27T08:47:32Z', reason: Connected, message: ok}
            rotation: {count: 4}
            """);

        var cells = columns.Cells(obj);
        string? Cell(string name) => cells[columns.Columns.ToList().FindIndex(c => c.Name == name)]?.ToJsonString();

        Assert.Equal("\"w\"", Cell("Name"));
        Assert.Equal("\"bastion\"", Cell("Host"));
        Assert.Equal("22", Cell("Port"));
        Assert.Equal("\"True\"", Cell("Ready"));
        Assert.Equal("4", Cell("Rotations"));
        Assert.Null(Cell("Validated"));
    }

    private static (CrdSchema Schema, JsonObject Obj) Admit(string spec)
    {
        var schema = CrdSchema.Compile(OpenApiSchema);
        var obj = Connection(spec);
        schema.Prune(obj);
        schema.ApplyDefaults(obj);
        return (schema, obj);
    }

    private static JsonObject Connection(string spec) => new()
    {
        ["apiVersion"] = "sshtunnels.io/v1alpha1",
        ["kind"] = "SshTunnelConnection",
        ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "default", ["creationTimestamp"] = "2026-11-27T08:47:32Z" },
        ["spec"] = YamlJson.Parse(spec),
    };

    private static HashSet<string> RuleMessages(string field)
    {
        var rules = OpenApiSchema["properties"]!["spec"]!["properties"]![field]!["x-kubernetes-validations"]?.AsArray() ?? [];
        return rules.Select(r => r!["message"]?.GetValue<string>().Trim() ?? "failed rule: " + r["rule"]!.GetValue<string>().Trim()).ToHashSet();
    }
}
