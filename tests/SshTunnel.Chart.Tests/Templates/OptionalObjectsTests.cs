using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>The metrics Service, ServiceMonitor and PodDisruptionBudget follow their values.</summary>
public sealed class OptionalObjectsTests
{
    [Fact]
    public async Task Defaults_render_a_metrics_Service_and_no_ServiceMonitor_or_PodDisruptionBudget()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var service = chart.Single("Service", ChartValues.FullName + "-metrics");
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray());

        Assert.Equal("health", (string?)port!["targetPort"]);
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
}
