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
    };

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task The_chart_lints_cleanly(string[] values)
    {
        var result = (await Helm.RunAsync(["lint", "--strict", RepositoryPaths.Chart, .. values.SelectMany(value => new[] { "--set", value })])).Succeeded();

        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output, StringComparison.Ordinal);
    }
}
