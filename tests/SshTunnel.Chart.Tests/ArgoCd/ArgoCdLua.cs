using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>
/// Runs the chart's Argo CD scripts in gopher-lua, the interpreter Argo CD embeds, opened with
/// exactly Argo CD's library set (runner/main.go). The runner is built once per test run with
/// Debian's golang-go against Debian's golang-github-yuin-gopher-lua-dev, offline (GOPATH mode).
/// </summary>
public static class ArgoCdLua
{
    private const string GoPath = "/usr/share/gocode";

    private static readonly Lazy<Task<string>> Runner = new(BuildAsync);

    /// <summary>Where Argo CD would take a script from: the folder next to the chart's argocd-cm patch.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(RepositoryPaths.ArgoCd, relative);

    /// <summary>
    /// Runs <paramref name="script"/> (a path under argocd/) in <paramref name="mode"/> (health, discovery
    /// or action) with <paramref name="obj"/> as the global <c>obj</c>; the result is what Argo CD makes
    /// of the returned table, or the script's error.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string mode, string script, JsonObject obj)
    {
        var objectFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chart-tests-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(objectFile, obj.ToJsonString());
        try
        {
            return await ProcessRunner.RunAsync(await Runner.Value, mode, Path(script), objectFile);
        }
        finally
        {
            File.Delete(objectFile);
        }
    }

    /// <summary>Runs a script that must succeed; returns its result as JSON.</summary>
    public static async Task<JsonNode> ResultAsync(string mode, string script, JsonObject obj) =>
        JsonNode.Parse((await RunAsync(mode, script, obj)).Succeeded().Output)
            ?? throw new InvalidOperationException(script + " returned nothing");

    /// <summary>An object from a YAML test data file next to the scripts.</summary>
    public static JsonObject ReadObject(string relative) =>
        YamlJson.Parse(File.ReadAllText(Path(relative))).AsObject();

    private static async Task<string> BuildAsync()
    {
        var source = RepositoryPaths.PathOf("tests/SshTunnel.Chart.Tests/ArgoCd/runner");
        var output = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "argocd-lua")).FullName;
        var go = ProcessRunner.FindOnPath("go")
            ?? throw new InvalidOperationException("go not found: install Debian's golang-go and golang-github-yuin-gopher-lua-dev (tests/run.sh does)");
        var binary = System.IO.Path.Combine(output, "argocd-lua");
        var environment = new Dictionary<string, string?>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = GoPath,
            ["GOCACHE"] = System.IO.Path.Combine(output, "cache"),
            ["GOFLAGS"] = null,
            ["GOTOOLCHAIN"] = "local",
        };
        (await ProcessRunner.RunAsync(go, ["build", "-o", binary, source + "/main.go"], new ProcessOptions { Environment = environment })).Succeeded();
        return binary;
    }
}
