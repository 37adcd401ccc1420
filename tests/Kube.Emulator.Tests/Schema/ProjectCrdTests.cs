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
    private static readonly Lazy<JsonObject> Version = new(() => ProjectCrds.StorageVersion(RepositoryPaths.CrdFile));

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
        var obj = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CrdExamples, example))).AsObject();
        var crd = Directory.GetFiles(RepositoryPaths.Crds, "*.yaml")
            .Select(ProjectCrds.StorageVersion)
            .Single(version => version["kind"]!.GetValue<string>() == obj["kind"]!.GetValue<string>());
        var schema = CrdSchema.Compile(crd["schema"]!["openAPIV3Schema"]!.AsObject());

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

    /// <summary>
    /// The real API server runs the CEL rules next to minimum/maximum/pattern errors (only type, required, enum and
    /// size errors skip them), so a rule repeating a schema bound would add a second error for the same field.
    /// </summary>
    [Theory]
    [InlineData("{host: h, user: u, port: 0}", "spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1")]
    [InlineData("{host: h, user: u, port: 70000}", "spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535")]
    [InlineData("{host: '', user: u}", "spec.host: Invalid value: \"string\": spec.host must not be empty; set it to the bastion's hostname or IP address.")]
    [InlineData("{host: 'a b', user: u}", "spec.host: Invalid value: \"string\": spec.host must not contain whitespace; give only the hostname or IP address (the port goes in spec.port).")]
    [InlineData("{host: h, user: ''}", "spec.user: Invalid value: \"string\": spec.user must not be empty; set it to the bastion user whose authorized_keys holds the public keys.")]
    public void Gives_one_error_per_invalid_field(string spec, string expected)
    {
        var (schema, obj) = Admit(spec);

        Assert.Equal(expected, Schemas.Messages(schema.Validate(obj, null)));
    }

    [Fact]
    public void A_host_over_the_length_limit_is_one_error_and_the_rules_wait_for_it_to_be_fixed()
    {
        var (schema, obj) = Admit("{host: " + new string('a', 254) + ", user: u}");

        var errors = schema.Validate(obj, null);

        Assert.Equal(["spec.host", "<nil>"], errors.Select(e => e.Path));
        Assert.Contains("Too long: may not be more than 253 bytes", errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_property_of_the_schema_has_a_description()
    {
        var undescribed = new List<string>();
        void Visit(JsonObject node, string path)
        {
            foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
            {
                var property = child!.AsObject();
                if (property["description"]?.GetValue<string>() is not { Length: > 0 })
                {
                    undescribed.Add(path + name);
                }

                Visit(property, path + name + ".");
            }

            if (node["items"] is JsonObject items)
            {
                Visit(items, path.TrimEnd('.') + "[].");
            }
        }

        Visit(OpenApiSchema, string.Empty);

        Assert.Empty(undescribed);
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
              - {type: Ready, status: 'True', lastTransitionTime: '2026-11-27T08:47:32Z', reason: Reconciled, message: ok}
            rotation: {count: 4}
            connection: {host: old-bastion, port: 2222, user: materialize}
            """);

        string? Cell(string name) => ProjectCrds.Cell(columns, obj, name);

        Assert.Equal("\"w\"", Cell("Name"));
        Assert.Equal("\"old-bastion\"", Cell("Host"));
        Assert.Equal("2222", Cell("Port"));
        Assert.Equal("\"True\"", Cell("Ready"));
        Assert.Equal("\"Reconciled\"", Cell("Reason"));
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
