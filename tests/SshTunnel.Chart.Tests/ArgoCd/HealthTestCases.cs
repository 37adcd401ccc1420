using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>
/// Every case of each health_test.yaml (argocd/ for SshTunnelConnection, argocd/SshPortForward/ for SshPortForward),
/// run as Argo CD's util/lua/health_test.go runs them.
/// </summary>
public sealed class HealthTestCases
{
    private const string TestFile = "health_test.yaml";

    /// <summary>The folders under argocd/ that hold a health.lua, its health_test.yaml and testdata/.</summary>
    private static readonly string[] FolderNames = [string.Empty, "SshPortForward"];

    public static TheoryData<string> Folders => [.. FolderNames];

    public static TheoryData<string, string> Inputs()
    {
        var inputs = new TheoryData<string, string>();
        foreach (var folder in FolderNames)
        {
            foreach (var inputPath in InputPaths(folder))
            {
                inputs.Add(folder, inputPath);
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Health_lua_gives_the_expected_status_and_message(string folder, string inputPath)
    {
        var expected = Cases(folder).Single(test => (string?)test["inputPath"] == inputPath)["healthStatus"]!;

        var health = await ArgoCdLua.ResultAsync("health", Path.Combine(folder, "health.lua"), ArgoCdLua.ReadObject(Path.Combine(folder, inputPath)));

        Assert.Equal((string?)expected["status"], (string?)health["status"]);
        Assert.Equal((string?)expected["message"], (string?)health["message"]);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Every_test_data_file_is_a_test_case(string folder)
    {
        var files = Directory.GetFiles(ArgoCdLua.Path(Path.Combine(folder, "testdata"))).Select(file => "testdata/" + Path.GetFileName(file));

        Assert.Equal(files.Order(StringComparer.Ordinal), InputPaths(folder).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> InputPaths(string folder) => Cases(folder).Select(test => (string)test["inputPath"]!);

    private static IEnumerable<JsonNode> Cases(string folder) =>
        YamlJson.Parse(File.ReadAllText(ArgoCdLua.Path(Path.Combine(folder, TestFile))))!["tests"]!.AsArray().Select(test => test!);
}
