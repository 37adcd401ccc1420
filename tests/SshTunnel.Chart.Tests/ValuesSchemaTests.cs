using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests;

/// <summary>values.schema.json and the templates' own checks turn bad values into errors that name them.</summary>
public sealed class ValuesSchemaTests
{
    [Theory]
    [InlineData("replicaCount=two", "/replicaCount")]
    [InlineData("replicas=2", "'replicas' not allowed")]
    [InlineData("operator.resyncPeriod=10 minutes", "/operator/resyncPeriod")]
    [InlineData("operator.workers=0", "/operator/workers")]
    [InlineData("watchNamespaces={Team_A}", "/watchNamespaces/0")]
    [InlineData("image.pullPolicy=Sometimes", "/image/pullPolicy")]
    [InlineData("metrics.serviceMonitor.enable=true", "'enable' not allowed")]
    [InlineData("crds.keep=yes", "/crds/keep")]
    public async Task A_bad_value_fails_with_a_message_that_names_it(string value, string expected)
    {
        var message = await HelmTemplate.FailureAsync(value);

        Assert.Contains("schema", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
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
}
