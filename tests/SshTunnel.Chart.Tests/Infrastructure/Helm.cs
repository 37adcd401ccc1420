using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>
/// The real helm binary: the HELM environment variable, else helm on PATH (tests/run.sh installs
/// it there). Its cache and config live in the test output folder.
/// </summary>
public static class Helm
{
    private static readonly string Home = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "helm-home")).FullName;

    public static string Executable { get; } = Locate();

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Executable, arguments, new ProcessOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["HOME"] = Home,
                ["HELM_CACHE_HOME"] = Path.Combine(Home, "cache"),
                ["HELM_CONFIG_HOME"] = Path.Combine(Home, "config"),
                ["HELM_DATA_HOME"] = Path.Combine(Home, "data"),
            },
        });

    /// <summary><c>helm template</c> of the chart with <c>--set</c> values, in namespace <paramref name="releaseNamespace"/>.</summary>
    public static async Task<RenderedChart> TemplateAsync(string releaseNamespace, params string[] setValues) =>
        RenderedChart.Parse(await TemplateTextAsync(releaseNamespace, setValues));

    /// <summary><c>helm template</c>'s output as printed.</summary>
    public static async Task<string> TemplateTextAsync(string releaseNamespace, params string[] setValues) =>
        (await RunAsync(TemplateArguments(releaseNamespace, setValues))).Succeeded().Output;

    /// <summary><c>helm template</c> that is expected to fail; returns what helm printed.</summary>
    public static async Task<string> TemplateFailureAsync(params string[] setValues)
    {
        var result = (await RunAsync(TemplateArguments("default", setValues))).Failed();
        return result.Error + result.Output;
    }

    private static string[] TemplateArguments(string releaseNamespace, string[] setValues) =>
        ["template", "tunnels", RepositoryPaths.Chart, "--namespace", releaseNamespace, .. setValues.SelectMany(value => new[] { "--set", value })];

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("HELM");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return ProcessRunner.FindOnPath("helm")
            ?? throw new InvalidOperationException("helm not found: set HELM or put helm on PATH (tests/run.sh installs it into .tools/bin)");
    }
}
