using SshTunnel.Chart.Tests.Templates;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests;

/// <summary><c>helm lint --strict</c> passes with the default values and with non-default ones.</summary>
public sealed class LintTests
{
    public static TheoryData<string[]> ValueSets => new()
    {
        Array.Empty<string>(),
        ChartValues.Namespaced,
        new[] { "metrics.serviceMonitor.enabled=true", "podDisruptionBudget.enabled=true", "crds.keep=false" },
        new[]
        {
            "networkPolicy.enabled=true", "networkPolicy.ssh.cidrs={203.0.113.0/24}", "networkPolicy.apiServer.cidrs={10.0.0.1/32}",
            "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring",
            "podDisruptionBudget.enabled=true", "podDisruptionBudget.minAvailable=50%",
            "extraEnv[0].name=HTTPS_PROXY", "extraEnv[0].value=http://proxy:3128",
            "extraVolumes[0].name=ca", "extraVolumes[0].secret.secretName=ca",
            "extraVolumeMounts[0].name=ca", "extraVolumeMounts[0].mountPath=/etc/ca",
            "tests.enabled=false",
        },
    };

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task The_chart_lints_cleanly(string[] values)
    {
        var result = (await Helm.RunAsync(["lint", "--strict", RepositoryPaths.Chart, .. values.SelectMany(value => new[] { "--set", value })])).Succeeded();

        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output, StringComparison.Ordinal);
    }
}
