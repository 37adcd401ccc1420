using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>The helm test hook: a kubectl pod applies a connection, waits for Ready and deletes it, with its own narrow Role.</summary>
public sealed class TestHookTests
{
    private const string TestName = ChartValues.FullName + "-test";

    [Fact]
    public async Task The_test_pod_applies_waits_for_Ready_and_deletes_in_that_order()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var pod = chart.Hook("Pod", TestName);
        var spec = pod["spec"]!;
        var steps = spec["initContainers"]!.AsArray().Concat(spec["containers"]!.AsArray()).Select(container => container!).ToList();

        Assert.Equal("test", (string?)pod["metadata"]?["annotations"]?["helm.sh/hook"]);
        Assert.Equal("Never", (string?)spec["restartPolicy"]);
        Assert.Equal(TestName, (string?)spec["serviceAccountName"]);
        Assert.Equal(["apply", "wait-for-ready", "delete"], steps.Select(step => (string?)step["name"]));
        Assert.Equal(["apply", "--filename=/manifests/connection.yaml"], Arguments(steps[0]));
        Assert.Equal(
            ["wait", "--for=condition=Ready", "sshtunnelconnections.sshtunnels.io/" + TestName, "--namespace=ops", "--timeout=60s"],
            Arguments(steps[1]));
        Assert.Equal(
            ["delete", "sshtunnelconnections.sshtunnels.io/" + TestName, "--namespace=ops", "--wait=true", "--timeout=60s"],
            Arguments(steps[2]));
        Assert.All(steps, step =>
        {
            Assert.Equal("registry.k8s.io/kubectl:v1.33.0", (string?)step["image"]);
            Assert.Equal(["kubectl"], step["command"]!.AsArray().Select(part => (string?)part));
            Assert.True((bool?)step["securityContext"]?["readOnlyRootFilesystem"]);
            Assert.False((bool?)step["securityContext"]?["allowPrivilegeEscalation"]);
        });
        Assert.True((bool?)spec["securityContext"]?["runAsNonRoot"]);
    }

    [Fact]
    public async Task The_test_connection_has_validation_off_and_lives_where_the_operator_watches()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "watchNamespaces={team-a,team-b}", "tests.timeout=2m");

        var manifest = (string)chart.Hook("ConfigMap", TestName)["data"]!["connection.yaml"]!;
        var connection = YamlJson.Parse(manifest);
        var wait = chart.Hook("Pod", TestName)["spec"]!["initContainers"]![1]!;

        Assert.Equal("SshTunnelConnection", (string?)connection["kind"]);
        Assert.Equal(TestName, (string?)connection["metadata"]?["name"]);
        Assert.Equal("team-a", (string?)connection["metadata"]?["namespace"]);
        Assert.False((bool?)connection["spec"]?["validate"]);
        Assert.Contains("--namespace=team-a", Arguments(wait));
        Assert.Contains("--timeout=2m", Arguments(wait));
        Assert.Equal("team-a", RenderedChart.NamespaceOf(chart.Hook("Role", TestName)));
        Assert.Equal(ChartValues.ReleaseNamespace, RenderedChart.NamespaceOf(chart.Hook("Pod", TestName)));
    }

    [Fact]
    public async Task The_test_Role_allows_only_what_the_three_kubectl_calls_need_on_connections()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var role = chart.Hook("Role", TestName);
        var binding = chart.Hook("RoleBinding", TestName);
        var rule = Assert.Single(role["rules"]!.AsArray())!;

        Assert.Equal(["sshtunnels.io"], rule["apiGroups"]!.AsArray().Select(group => (string?)group));
        Assert.Equal(["sshtunnelconnections"], rule["resources"]!.AsArray().Select(resource => (string?)resource));
        Assert.Equal(["create", "delete", "get", "list", "patch", "watch"], rule["verbs"]!.AsArray().Select(verb => (string?)verb).Order(StringComparer.Ordinal));
        Assert.Equal(TestName, (string?)binding["subjects"]?[0]?["name"]);
        Assert.Equal(ChartValues.ReleaseNamespace, (string?)binding["subjects"]?[0]?["namespace"]);
        Assert.Equal(TestName, (string?)binding["roleRef"]?["name"]);
        Assert.Equal(5, chart.Hooks.Count);
    }

    [Fact]
    public async Task The_image_is_configurable_and_the_hook_can_be_left_out()
    {
        var custom = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "tests.image.repository=mirror.internal/kubectl", "tests.image.tag=v1.34.1");
        var without = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "tests.enabled=false");

        Assert.Equal("mirror.internal/kubectl:v1.34.1", (string?)custom.Hook("Pod", TestName)["spec"]?["containers"]?[0]?["image"]);
        Assert.Empty(without.Hooks);
    }

    private static List<string?> Arguments(JsonNode container) =>
        [.. container["args"]!.AsArray().Select(argument => (string?)argument)];
}
