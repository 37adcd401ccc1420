using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary><c>helm template</c> of the repository's chart, release <c>tunnels</c>, with <c>--set</c> values.</summary>
public static class HelmTemplate
{
    /// <summary>The rendered objects, in namespace <paramref name="releaseNamespace"/>.</summary>
    public static async Task<RenderedChart> RenderAsync(string releaseNamespace, params string[] setValues) =>
        RenderedChart.Parse(await TextAsync(releaseNamespace, setValues));

    /// <summary>helm's output as printed.</summary>
    public static async Task<string> TextAsync(string releaseNamespace, params string[] setValues) =>
        (await Helm.RunAsync(Arguments(releaseNamespace, setValues))).Succeeded().Output;

    /// <summary>A rendering that is expected to fail; returns what helm printed.</summary>
    public static async Task<string> FailureAsync(params string[] setValues)
    {
        var result = (await Helm.RunAsync(Arguments("default", setValues))).Failed();
        return result.Error + result.Output;
    }

    private static string[] Arguments(string releaseNamespace, string[] setValues) =>
        ["template", "tunnels", RepositoryPaths.Chart, "--namespace", releaseNamespace, .. setValues.SelectMany(value => new[] { "--set", value })];
}
