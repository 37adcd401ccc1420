using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>Every case of argocd/actions/action_test.yaml, run as Argo CD's util/lua/custom_actions_test.go runs them.</summary>
public sealed class ActionTestCases
{
    private const string Folder = "actions";

    public static TheoryData<string> DiscoveryInputs() => [.. Section("discoveryTests").Select(test => (string)test["inputPath"]!)];

    public static TheoryData<string, string> Actions()
    {
        var actions = new TheoryData<string, string>();
        foreach (var test in Section("actionTests"))
        {
            actions.Add((string)test["action"]!, (string)test["inputPath"]!);
        }

        return actions;
    }

    [Theory]
    [MemberData(nameof(DiscoveryInputs))]
    public async Task Discovery_offers_the_expected_actions(string inputPath)
    {
        var expected = Section("discoveryTests").Single(test => (string?)test["inputPath"] == inputPath)["result"]!;

        var actions = await ArgoCdLua.ResultAsync("discovery", Folder + "/discovery.lua", Input(inputPath));

        Assert.True(JsonNode.DeepEquals(expected, actions), "discovery.lua offered " + actions.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task The_action_gives_the_expected_object_or_error(string action, string inputPath)
    {
        var test = Section("actionTests").Single(test => (string?)test["action"] == action && (string?)test["inputPath"] == inputPath);

        var result = await ArgoCdLua.RunAsync("action", $"{Folder}/{action}/action.lua", Input(inputPath));

        if (test["expectedErrorMessage"] is { } message)
        {
            Assert.Equal((string?)message, result.Failed().Error.Trim());
            return;
        }

        var expected = Input((string)test["expectedOutputPath"]!);
        var changed = JsonNode.Parse(result.Succeeded().Output);
        Assert.True(JsonNode.DeepEquals(expected, changed), "expected " + expected.ToJsonString() + "\ngot " + changed?.ToJsonString());
    }

    [Fact]
    public void Every_test_data_file_is_used()
    {
        var files = Directory.GetFiles(ArgoCdLua.Path(Folder + "/testdata")).Select(file => "testdata/" + Path.GetFileName(file));
        var used = Section("discoveryTests").Select(test => test["inputPath"])
            .Concat(Section("actionTests").SelectMany(test => new[] { test["inputPath"], test["expectedOutputPath"] }))
            .OfType<JsonNode>().Select(path => (string)path!).Distinct();

        Assert.Equal(files.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    private static JsonObject Input(string inputPath) => ArgoCdLua.ReadObject(Folder + "/" + inputPath);

    private static IEnumerable<JsonNode> Section(string name) =>
        YamlJson.Parse(File.ReadAllText(ArgoCdLua.Path(Folder + "/action_test.yaml")))![name]!.AsArray().Select(test => test!);
}
