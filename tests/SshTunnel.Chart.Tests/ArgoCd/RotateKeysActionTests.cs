using System.Globalization;
using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>The "rotate-keys" action raises the rotate-keys annotation above every token seen so far.</summary>
public sealed class RotateKeysActionTests
{
    private const string Action = "actions/rotate-keys/action.lua";

    [Fact]
    public async Task Discovery_offers_the_rotate_keys_action()
    {
        var actions = await LuaScript.RunAsync("actions/discovery.lua", SampleConnection.Ready("True", "Reconciled"));

        Assert.False((bool?)actions?["rotate-keys"]?["disabled"]);
    }

    [Fact]
    public async Task Without_an_annotation_the_action_sets_the_current_time()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

        var updated = await RunAsync(SampleConnection.Ready("True", "Reconciled"));

        var token = Token(updated);
        Assert.InRange(token, before, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_token_from_the_past_is_replaced_by_the_current_time()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

        var updated = await RunAsync(SampleConnection.Ready("True", "Reconciled", rotateKeys: "1700000000", handledToken: "1700000000"));

        Assert.True(Token(updated) >= before);
    }

    [Fact]
    public async Task A_token_already_in_the_future_is_raised_by_one()
    {
        var updated = await RunAsync(SampleConnection.Ready("True", "Reconciled", rotateKeys: "9999999999", handledToken: "9999999990"));

        Assert.Equal(10_000_000_000, Token(updated));
    }

    [Fact]
    public async Task A_handled_token_above_the_annotation_is_exceeded_too()
    {
        var updated = await RunAsync(SampleConnection.Ready("True", "Reconciled", rotateKeys: "9999999990", handledToken: "9999999999"));

        Assert.Equal(10_000_000_000, Token(updated));
    }

    [Fact]
    public async Task An_invalid_token_is_replaced_and_the_rest_of_the_object_is_kept()
    {
        var original = SampleConnection.Ready("False", "InvalidRotationToken", rotateKeys: "soon");

        var updated = await RunAsync(original);

        Assert.True(Token(updated) > 1_700_000_000);
        Assert.True(JsonNode.DeepEquals(original["spec"], updated["spec"]));
        Assert.Equal("warehouse-bastion", (string?)updated["metadata"]?["name"]);
        Assert.Equal(2, (long?)updated["metadata"]?["generation"]);
    }

    private static async Task<JsonNode> RunAsync(JsonObject connection) =>
        await LuaScript.RunAsync(Action, connection) ?? throw new InvalidOperationException("action.lua returned nothing");

    private static long Token(JsonNode updated)
    {
        var text = (string?)updated["metadata"]?["annotations"]?[SampleConnection.RotateKeys];
        Assert.NotNull(text);
        Assert.Matches("^[0-9]+$", text);
        return long.Parse(text, CultureInfo.InvariantCulture);
    }
}
