using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;
using SshTunnel.Testing.Repository;

namespace Kube.Emulator.Tests.Schema;

/// <summary>
/// The engine against the SshPortForward CRD (crds/sshportforwards.yaml): it compiles, fills the defaults, and refuses
/// each mistake with exactly one error on the field at fault.
/// </summary>
public class PortForwardCrdTests
{
    private const string Forward = "{name: postgres, port: 5432, targetHost: db.internal, targetPort: 5432}";

    private static readonly Lazy<JsonObject> Version = new(() => ProjectCrds.StorageVersion(RepositoryPaths.PortForwardCrdFile));

    private static CrdSchema Schema { get; } = CrdSchema.Compile(Version.Value["schema"]!["openAPIV3Schema"]!.AsObject());

    [Fact]
    public void Compiles_the_printer_columns()
    {
        var columns = PrinterColumnSet.Compile(Version.Value["additionalPrinterColumns"]?.AsArray()).Columns.Select(c => c.Name);

        Assert.Equal(["Name", "Connection", "Ready Replicas", "Replicas", "Ready", "Reason", "Age", "Local Address"], columns);
    }

    [Fact]
    public void A_minimal_forward_gets_one_replica()
    {
        var obj = Admit("{connectionName: warehouse-bastion, forwards: [" + Forward + "]}");

        Assert.Equal("", Schemas.Messages(Schema.Validate(obj, null)));
        Assert.Equal(1, obj["spec"]!["replicas"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{connectionName: a.b, replicas: 0, forwards: [" + Forward + "]}")]
    [InlineData("{connectionName: c, replicas: 16, forwards: [{name: p1, port: 1, targetHost: 10.0.0.5, targetPort: 65535}, {name: p2, port: 65535, targetHost: 'fd00::5', targetPort: 1}]}")]
    [InlineData("{connectionName: c, forwards: [{name: mysql-replica-1, port: 3306, targetHost: '::ffff:10.0.0.1', targetPort: 3306}]}")]
    [InlineData("{connectionName: c, forwards: [" + Forward + "], resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi, cpu: 1}}}")]
    [InlineData("{connectionName: c, forwards: [" + Forward + "], nodeSelector: {kubernetes.io/os: linux}, tolerations: [{key: dedicated, operator: Equal, value: tunnels, effect: NoSchedule}]}")]
    public void Accepts_valid_forwards(string spec) => Assert.Equal("", Schemas.Messages(Schema.Validate(Admit(spec), null)));

    [Theory]
    [InlineData("{connectionName: c, replicas: 17, forwards: [" + Forward + "]}", "spec.replicas")]
    [InlineData("{connectionName: c, replicas: -1, forwards: [" + Forward + "]}", "spec.replicas")]
    [InlineData("{connectionName: Bastion, forwards: [" + Forward + "]}", "spec.connectionName")]
    [InlineData("{connectionName: c}", "spec.forwards")]
    [InlineData("{connectionName: c, forwards: [{name: Postgres, port: 5432, targetHost: db, targetPort: 5432}]}", "spec.forwards[0].name")]
    [InlineData("{connectionName: c, forwards: [{name: '5432', port: 5432, targetHost: db, targetPort: 5432}]}", "spec.forwards[0].name")]
    [InlineData("{connectionName: c, forwards: [{name: postgres-primary, port: 5432, targetHost: db, targetPort: 5432}]}", "spec.forwards[0].name")]
    [InlineData("{connectionName: c, forwards: [{name: pg--1, port: 5432, targetHost: db, targetPort: 5432}]}", "spec.forwards[0].name")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: db, targetPort: 70000}]}", "spec.forwards[0].targetPort")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: '', targetPort: 5432}]}", "spec.forwards[0].targetHost")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: 'db internal', targetPort: 5432}]}", "spec.forwards[0].targetHost")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: 'postgres://db', targetPort: 5432}]}", "spec.forwards[0].targetHost")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: '[fd00::5]', targetPort: 5432}]}", "spec.forwards[0].targetHost")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: '10.0.0.5:5432', targetPort: 5432}]}", "spec.forwards[0].targetHost")]
    [InlineData("{connectionName: c, forwards: [{name: pg, port: 5432, targetHost: db, targetPort: 5432}], resources: {limits: {memory: lots}}}", "spec.resources.limits.memory")]
    public void Refuses_each_mistake_with_one_error_on_its_field(string spec, string field)
    {
        var errors = Schema.Validate(Admit(spec), null);

        Assert.Equal(field, Assert.Single(errors).Path);
    }

    [Fact]
    public void Refuses_a_name_that_cannot_name_a_Service()
    {
        var obj = Admit("{connectionName: c, forwards: [" + Forward + "]}");
        obj["metadata"]!["name"] = "db.forward";

        Assert.Equal("metadata.name", Assert.Single(Schema.Validate(obj, null)).Path);
    }

    [Fact]
    public void Renders_the_printer_columns_of_a_forward()
    {
        var columns = PrinterColumnSet.Compile(Version.Value["additionalPrinterColumns"]?.AsArray());
        var obj = Admit("{connectionName: warehouse-bastion, replicas: 2, forwards: [" + Forward + "]}");
        obj["status"] = YamlJson.Parse("""
            observedGeneration: 1
            replicas: 2
            readyReplicas: 1
            selector: sshtunnels.io/port-forward=warehouse-db
            localAddress: postgres=127.0.0.1:40123
            conditions:
              - {type: Ready, status: 'False', lastTransitionTime: '2026-11-27T08:47:32Z', reason: ConnectionNotFound, message: no such connection}
              - {type: Stalled, status: 'True', lastTransitionTime: '2026-11-27T08:47:32Z', reason: ConnectionNotFound, message: no such connection}
            """);

        Assert.Equal("", Schemas.Messages(Schema.Validate(obj, null)));
        string? Cell(string name) => ProjectCrds.Cell(columns, obj, name);
        Assert.Equal("\"warehouse-bastion\"", Cell("Connection"));
        Assert.Equal("1", Cell("Ready Replicas"));
        Assert.Equal("2", Cell("Replicas"));
        Assert.Equal("\"False\"", Cell("Ready"));
        Assert.Equal("\"ConnectionNotFound\"", Cell("Reason"));
        Assert.Equal("\"postgres=127.0.0.1:40123\"", Cell("Local Address"));
    }

    private static JsonObject Admit(string spec)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "sshtunnels.io/v1alpha1",
            ["kind"] = "SshPortForward",
            ["metadata"] = new JsonObject { ["name"] = "warehouse-db", ["namespace"] = "default", ["creationTimestamp"] = "2026-11-27T08:47:32Z" },
            ["spec"] = YamlJson.Parse(spec),
        };
        Assert.Empty(Schema.Prune(obj));
        Schema.ApplyDefaults(obj);
        return obj;
    }
}
