using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests;

/// <summary>values.schema.json and the templates' own checks turn bad values into errors that name them.</summary>
public sealed class ValuesSchemaTests
{
    [Theory]
    [InlineData("replicaCount=two", "/replicaCount")]
    [InlineData("replicas=2", "'replicas' not allowed")]
    [InlineData("operator.resyncPeriod=10 minutes", "/operator/resyncPeriod")]
    [InlineData("operator.apiTimeout=0", "/operator/apiTimeout")]
    [InlineData("operator.workers=0", "/operator/workers")]
    [InlineData("watchNamespaces={Team_A}", "/watchNamespaces/0")]
    [InlineData("image.pullPolicy=Sometimes", "/image/pullPolicy")]
    [InlineData("metrics.serviceMonitor.enable=true", "'enable' not allowed")]
    [InlineData("crds.keep=yes", "/crds/keep")]
    [InlineData("resources.requests.cpu=banana", "/resources/requests/cpu")]
    [InlineData("resources.limits.memory=512MB", "/resources/limits/memory")]
    [InlineData("resources.limits.memory=-1Gi", "/resources/limits/memory")]
    [InlineData("podDisruptionBudget.minAvailable=half", "/podDisruptionBudget/minAvailable")]
    [InlineData("extraEnv[0].value=no-name", "/extraEnv/0")]
    [InlineData("extraVolumes[0].name=no-source", "/extraVolumes/0")]
    [InlineData("extraVolumeMounts[0].name=data", "/extraVolumeMounts/0")]
    [InlineData("networkPolicy.enabled=maybe", "/networkPolicy/enabled")]
    [InlineData("networkPolicy.ssh.ports={0}", "/networkPolicy/ssh/ports/0")]
    [InlineData("networkPolicy.apiServer.cidrs={10.0.0.1}", "/networkPolicy/apiServer/cidrs/0")]
    [InlineData("networkPolicy.metricsFrom[0].pods=x", "/networkPolicy/metricsFrom/0")]
    [InlineData("tests.image.pullPolicy=Sometimes", "/tests/image/pullPolicy")]
    [InlineData("tests.timeout=a minute", "/tests/timeout")]
    [InlineData("metrics.serviceMonitor.interval=often", "/metrics/serviceMonitor/interval")]
    [InlineData("strategy.type=BlueGreen", "/strategy/type")]
    [InlineData("tolerations[0].operator=Sometimes", "/tolerations/0/operator")]
    [InlineData("securityContext.runAsUser=-1", "/securityContext/runAsUser")]
    public async Task A_bad_value_fails_with_a_message_that_names_it(string value, string expected)
    {
        var message = await HelmTemplate.FailureAsync(value);

        Assert.Contains("schema", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helm_lint_refuses_a_wrong_type_and_names_it()
    {
        var result = (await Helm.RunAsync("lint", "--strict", RepositoryPaths.Chart, "--set", "resources.requests.cpu=banana")).Failed();

        Assert.Contains("/resources/requests/cpu", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_in_the_schema_has_a_type_and_a_description()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.schema.json")))!;

        var undescribed = Properties(schema, schema, "").Where(entry => !Described(schema, entry.Schema)).Select(entry => entry.Path).ToList();
        var untyped = Properties(schema, schema, "").Where(entry => !Typed(schema, entry.Schema)).Select(entry => entry.Path).ToList();

        Assert.Empty(undescribed);
        Assert.Empty(untyped);
        Assert.True(Properties(schema, schema, "").Count() > 80);
    }

    [Fact]
    public async Task Both_disruption_budget_bounds_are_refused()
    {
        var message = await HelmTemplate.FailureAsync(
            "podDisruptionBudget.enabled=true", "podDisruptionBudget.minAvailable=1", "podDisruptionBudget.maxUnavailable=1");

        Assert.Contains("podDisruptionBudget: set minAvailable or maxUnavailable, not both", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_replicas_without_leader_election_are_refused()
    {
        var message = await HelmTemplate.FailureAsync("replicaCount=2", "leaderElection.enabled=false");

        Assert.Contains("replicaCount > 1 needs leaderElection.enabled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ServiceMonitor_without_the_metrics_Service_is_refused()
    {
        var message = await HelmTemplate.FailureAsync("metrics.enabled=false", "metrics.serviceMonitor.enabled=true");

        Assert.Contains("metrics.serviceMonitor.enabled needs metrics.enabled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metrics_port_must_differ_from_the_health_port()
    {
        var message = await HelmTemplate.FailureAsync("healthPort=8080", "metrics.port=8080");

        Assert.Contains("healthPort and metrics.port must differ", message, StringComparison.Ordinal);
    }

    /// <summary>Every property in the schema, nested ones and those of referenced definitions included, with its path.</summary>
    private static IEnumerable<(string Path, JsonNode Schema)> Properties(JsonNode root, JsonNode node, string path)
    {
        var resolved = Resolve(root, node);
        foreach (var (name, property) in resolved["properties"]?.AsObject() ?? [])
        {
            yield return (path + "/" + name, property!);
            foreach (var nested in Properties(root, property!, path + "/" + name))
            {
                yield return nested;
            }
        }

        if (resolved["items"] is { } items)
        {
            foreach (var nested in Properties(root, items, path + "/*"))
            {
                yield return nested;
            }
        }
    }

    private static JsonNode Resolve(JsonNode root, JsonNode node) =>
        (string?)node["$ref"] is { } reference ? root["definitions"]![reference["#/definitions/".Length..]]! : node;

    private static bool Described(JsonNode root, JsonNode node) =>
        node["description"] is not null || Resolve(root, node)["description"] is not null;

    private static bool Typed(JsonNode root, JsonNode node)
    {
        var resolved = Resolve(root, node);
        return resolved["type"] is not null || resolved["enum"] is not null || resolved["const"] is not null
            || (resolved["anyOf"]?.AsArray().All(option => Typed(root, option!)) ?? false);
    }
}
