using System.Text.Json.Nodes;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Repository;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>
/// The SshPortForward CRD (crds/sshportforwards.yaml) as a user meets it: applied with the real kubectl, a valid
/// forward is accepted with its defaults, and each mistake is refused with one message that names the field.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PortForwardKubectlTests(EmulatorFixture fixture)
{
    private const string ValidForwards = "  forwards:\n    - {name: postgres, port: 5432, targetHost: db.internal, targetPort: 5432}\n";

    private readonly Kubectl kubectl = new(fixture.KubeconfigPath, fixture.WorkDirectory);

    public static TheoryData<string, string, string> Mistakes => new()
    {
        {
            "duplicate-names",
            "  connectionName: warehouse-bastion\n  forwards:\n    - {name: postgres, port: 5432, targetHost: db.internal, targetPort: 5432}\n    - {name: postgres, port: 5433, targetHost: db2.internal, targetPort: 5432}\n",
            "spec.forwards: Invalid value: \"array\": forward names must be unique: \"postgres\" is used more than once; give each forward its own name (it names the Service port).\n"
        },
        {
            "duplicate-ports",
            "  connectionName: warehouse-bastion\n  forwards:\n    - {name: postgres, port: 5432, targetHost: db.internal, targetPort: 5432}\n    - {name: replica, port: 5432, targetHost: db2.internal, targetPort: 5432}\n",
            "spec.forwards: Invalid value: \"array\": forward ports must be unique: 5432 is used more than once; give each forward its own port (the Service listens on it).\n"
        },
        {
            "too-many",
            "  connectionName: warehouse-bastion\n  forwards:\n" + string.Concat(Enumerable.Range(1, 33).Select(i => $"    - {{name: p{i}, port: {10000 + i}, targetHost: db.internal, targetPort: 5432}}\n")),
            "spec.forwards: Invalid value: \"array\": spec.forwards may hold at most 32 forwards; split them over several SshPortForwards.\n"
        },
        {
            "port-zero",
            "  connectionName: warehouse-bastion\n  forwards:\n    - {name: postgres, port: 0, targetHost: db.internal, targetPort: 5432}\n",
            "spec.forwards[0].port: Invalid value: 0: spec.forwards[0].port in body should be greater than or equal to 1\n"
        },
        {
            "no-connection",
            ValidForwards,
            "spec.connectionName: Required value: set it to the name of an SshTunnelConnection in this namespace.\n"
        },
        {
            "host-and-port",
            "  connectionName: warehouse-bastion\n  forwards:\n    - {name: postgres, port: 5432, targetHost: 'db.internal:5432', targetPort: 5432}\n",
            "spec.forwards[0].targetHost: Invalid value: \"string\": spec.forwards[].targetHost takes no port: put the port in targetPort (a ':' is only allowed in an IPv6 address, written without brackets, e.g. fd00::5).\n"
        },
    };

    [Fact]
    public async Task The_example_and_a_minimal_forward_are_accepted_with_the_defaults()
    {
        var ns = await NamespaceWithCrdAsync();
        var minimal = await ManifestAsync(ns, "minimal", "  connectionName: warehouse-bastion\n" + ValidForwards);

        var example = (await kubectl.TryRunAsync("apply", "-n", ns, "-f", Path.Combine(RepositoryPaths.CrdExamples, "warehouse-db-forward.yaml"))).Succeeded();
        var created = (await kubectl.TryRunAsync("apply", "-n", ns, "-f", minimal)).Succeeded();
        var stored = JsonNode.Parse((await kubectl.TryRunAsync("get", "spf", "minimal", "-n", ns, "-o", "json")).Succeeded().Output)!;
        var table = (await kubectl.TryRunAsync("get", "sshtunnels", "-n", ns)).Succeeded();

        Assert.Equal("sshportforward.sshtunnels.io/warehouse-db created\n", example.Output);
        Assert.Equal("sshportforward.sshtunnels.io/minimal created\n", created.Output);
        Assert.Equal(1, (int?)stored["spec"]!["replicas"]);
        Assert.Equal("db.internal", (string?)stored["spec"]!["forwards"]![0]!["targetHost"]);
        Assert.Matches(@"NAME\s+CONNECTION\s+READY REPLICAS\s+REPLICAS\s+READY\s+REASON\s+AGE", table.Output);
        Assert.Matches(@"(?m)^minimal\s+warehouse-bastion\s+1\s+\d+s$", table.Output);
        Assert.Matches(@"(?m)^warehouse-db\s+warehouse-bastion\s+2\s+\d+s$", table.Output);
    }

    [Fact]
    public async Task Kubectl_scale_changes_spec_replicas_within_the_schemas_bounds()
    {
        var ns = await NamespaceWithCrdAsync();
        (await kubectl.TryRunAsync("apply", "-n", ns, "-f", Path.Combine(RepositoryPaths.CrdExamples, "warehouse-db-forward.yaml"))).Succeeded();

        var scaled = (await kubectl.TryRunAsync("scale", "-n", ns, "spf/warehouse-db", "--replicas=3")).Succeeded();
        var replicas = (await kubectl.TryRunAsync("get", "-n", ns, "spf/warehouse-db", "-o", "jsonpath={.spec.replicas}")).Succeeded();
        var scale = JsonNode.Parse((await kubectl.TryRunAsync("get", "--raw", $"/apis/sshtunnels.io/v1alpha1/namespaces/{ns}/sshportforwards/warehouse-db/scale")).Succeeded().Output)!;
        var refused = await kubectl.TryRunAsync("scale", "-n", ns, "spf/warehouse-db", "--replicas=17");

        Assert.Equal("sshportforward.sshtunnels.io/warehouse-db scaled\n", scaled.Output);
        Assert.Equal("3", replicas.Output);
        Assert.Equal(3, (int?)scale["spec"]!["replicas"]);
        Assert.Equal(0, (int?)scale["status"]!["replicas"]);
        Assert.Equal("", (string?)scale["status"]!["selector"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.replicas: Invalid value: 17: spec.replicas in body should be less than or equal to 16", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Each_mistake_is_refused_with_one_message_naming_the_field(string name, string spec, string expected)
    {
        var ns = await NamespaceWithCrdAsync();
        var manifest = await ManifestAsync(ns, name, spec);

        var refused = await kubectl.TryRunAsync("apply", "-n", ns, "-f", manifest);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal($"The SshPortForward \"{name}\" is invalid: {expected}", refused.Error);
    }

    private async Task<string> NamespaceWithCrdAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        (await kubectl.TryRunAsync("apply", "-f", RepositoryPaths.PortForwardCrdFile)).Succeeded();
        (await kubectl.TryRunAsync("wait", "--for=condition=Established", "--timeout=30s", "crd/sshportforwards.sshtunnels.io")).Succeeded();
        return ns;
    }

    private async Task<string> ManifestAsync(string ns, string name, string spec)
    {
        var path = Path.Combine(fixture.WorkDirectory, $"{ns}-{name}.yaml");
        await File.WriteAllTextAsync(path, $"apiVersion: sshtunnels.io/v1alpha1\nkind: SshPortForward\nmetadata:\n  name: {name}\nspec:\n{spec}");
        return path;
    }
}
