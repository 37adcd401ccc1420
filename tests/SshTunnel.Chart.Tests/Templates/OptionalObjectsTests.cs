using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>The metrics Service, ServiceMonitor, PodDisruptionBudget and NetworkPolicy follow their values.</summary>
public sealed class OptionalObjectsTests
{
    [Fact]
    public async Task Defaults_render_a_metrics_Service_and_no_ServiceMonitor_or_PodDisruptionBudget()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var service = chart.Single("Service", ChartValues.FullName + "-metrics");
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray());

        Assert.Equal("metrics", (string?)port!["targetPort"]);
        Assert.Equal("metrics", (string?)port["name"]);
        Assert.Equal("ssh-tunnel-operator", (string?)service["spec"]?["selector"]?["app.kubernetes.io/name"]);
        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("PodDisruptionBudget"));
        Assert.Single(chart.OfKind("ServiceAccount"));
    }

    [Fact]
    public async Task Namespaced_values_drop_the_metrics_Service_and_add_a_PodDisruptionBudget()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, ChartValues.Namespaced);

        var budget = chart.Single("PodDisruptionBudget", ChartValues.FullName);

        Assert.Empty(chart.OfKind("Service"));
        Assert.Equal(1, (long?)budget["spec"]?["maxUnavailable"]);
        Assert.Equal("tunnels", (string?)budget["spec"]?["selector"]?["matchLabels"]?["app.kubernetes.io/instance"]);
    }

    [Fact]
    public async Task A_ServiceMonitor_scrapes_the_metrics_Service()
    {
        var chart = await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace, "metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.labels.release=prometheus");

        var monitor = chart.Single("ServiceMonitor", ChartValues.FullName);
        var service = chart.Single("Service", ChartValues.FullName + "-metrics");
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray());
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();

        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("prometheus", (string?)monitor["metadata"]?["labels"]?["release"]);
        Assert.Equal("metrics", (string?)endpoint!["port"]);
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.All(selector, label => Assert.Equal((string?)label.Value, (string?)service["metadata"]!["labels"]![label.Key]));
    }

    [Fact]
    public async Task The_ServiceAccount_can_be_brought_by_the_user()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "serviceAccount.create=false", "serviceAccount.name=tunnels-sa");

        var binding = chart.Single("ClusterRoleBinding", ChartValues.FullName);

        Assert.Empty(chart.OfKind("ServiceAccount"));
        Assert.Equal("tunnels-sa", (string?)chart.Single("Deployment")["spec"]?["template"]?["spec"]?["serviceAccountName"]);
        Assert.Equal("tunnels-sa", (string?)binding["subjects"]?[0]?["name"]);
    }

    [Theory]
    [InlineData("podDisruptionBudget.minAvailable=1", "minAvailable", "1")]
    [InlineData("podDisruptionBudget.minAvailable=50%", "minAvailable", "50%")]
    [InlineData("podDisruptionBudget.maxUnavailable=2", "maxUnavailable", "2")]
    public async Task The_PodDisruptionBudget_takes_the_one_bound_that_is_set(string value, string field, string expected)
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "podDisruptionBudget.enabled=true", value);

        var spec = chart.Single("PodDisruptionBudget", ChartValues.FullName)["spec"]!.AsObject();

        Assert.Equal(expected, spec[field]!.ToString());
        Assert.Equal(new[] { "selector", field }.Order(StringComparer.Ordinal), spec.Select(entry => entry.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_NetworkPolicy_allows_the_API_server_DNS_and_SSH_out_and_the_health_port_in()
    {
        var chart = await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace,
            "networkPolicy.enabled=true",
            "networkPolicy.apiServer.cidrs={10.96.0.1/32,172.18.0.2/32}",
            "networkPolicy.ssh.cidrs={203.0.113.0/24}",
            "networkPolicy.ssh.ports={22,2222}",
            "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring");

        var spec = chart.Single("NetworkPolicy", ChartValues.FullName)["spec"]!;
        var ingress = Assert.Single(spec["ingress"]!.AsArray())!;
        var egress = spec["egress"]!.AsArray();

        Assert.Equal("tunnels", (string?)spec["podSelector"]?["matchLabels"]?["app.kubernetes.io/instance"]);
        Assert.Equal(["Ingress", "Egress"], spec["policyTypes"]!.AsArray().Select(type => (string?)type));
        Assert.Equal(["health", "metrics"], ingress["ports"]!.AsArray().Select(port => (string?)port!["port"]));
        Assert.Equal("monitoring", (string?)ingress["from"]?[0]?["namespaceSelector"]?["matchLabels"]?["name"]);
        Assert.Equal(3, egress.Count);
        Assert.Equal(["TCP/443", "TCP/6443"], Ports(egress[0]!));
        Assert.Equal(["10.96.0.1/32", "172.18.0.2/32"], Cidrs(egress[0]!));
        Assert.Equal(["UDP/53", "TCP/53"], Ports(egress[1]!));
        Assert.Equal("kube-dns", (string?)egress[1]!["to"]?[0]?["podSelector"]?["matchLabels"]?["k8s-app"]);
        Assert.Equal("kube-system", (string?)egress[1]!["to"]?[0]?["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]);
        Assert.Equal(["TCP/22", "TCP/2222"], Ports(egress[2]!));
        Assert.Equal(["203.0.113.0/24"], Cidrs(egress[2]!));
    }

    [Fact]
    public async Task Without_addresses_the_NetworkPolicy_allows_the_ports_to_any_address_and_no_NetworkPolicy_by_default()
    {
        var defaults = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);
        var open = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "networkPolicy.enabled=true", "networkPolicy.extraEgress[0].ports[0].port=3128");

        var spec = open.Single("NetworkPolicy", ChartValues.FullName)["spec"]!;
        var egress = spec["egress"]!.AsArray();

        Assert.Empty(defaults.OfKind("NetworkPolicy"));
        Assert.Null(egress[0]!["to"]);
        Assert.Null(egress[2]!["to"]);
        Assert.Null(spec["ingress"]![0]!["from"]);
        Assert.Equal(3128, (long?)egress[3]!["ports"]?[0]?["port"]);
    }

    private static List<string> Ports(JsonNode rule) =>
        [.. rule["ports"]!.AsArray().Select(port => (string?)port!["protocol"] + "/" + port["port"])];

    private static List<string?> Cidrs(JsonNode rule) =>
        [.. rule["to"]!.AsArray().Select(peer => (string?)peer!["ipBlock"]?["cidr"])];
}
