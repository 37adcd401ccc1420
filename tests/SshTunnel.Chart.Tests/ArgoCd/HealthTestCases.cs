using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>Every case of argocd/health_test.yaml, run as Argo CD's util/lua/health_test.go runs them.</summary>
public sealed class HealthTestCases
{
    private const string TestFile = "health_test.yaml";

    public static TheoryData<string> Inputs() => [.. InputPaths()];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Health_lua_gives_the_expected_status_and_message(string inputPath)
    {
        var expected = Cases().Single(test => (string?)test["inputPath"] == inputPath)["healthStatus"]!;

        var health = await ArgoCdLua.ResultAsync("health", "health.lua", ArgoCdLua.ReadObject(inputPath));

        Assert.Equal((string?)expected["status"], (string?)health["status"]);
        Assert.Equal((string?)expected["message"], (string?)health["message"]);
    }

    [Fact]
    public void Every_test_data_file_is_a_test_case()
    {
        var files = Directory.GetFiles(ArgoCdLua.Path("testdata")).Select(file => "testdata/" + Path.GetFileName(file));

        Assert.Equal(files.Order(StringComparer.Ordinal), InputPaths().Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> InputPaths() => Cases().Select(test => (string)test["inputPath"]!);

    private static IEnumerable<JsonNode> Cases() =>
        YamlJson.Parse(File.ReadAllText(ArgoCdLua.Path(TestFile)))!["tests"]!.AsArray().Select(test => test!);
}
