using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>argocd/health.lua maps the kstatus-style Ready condition to Argo CD's health.</summary>
public sealed class HealthCheckTests
{
    private const string Script = "health.lua";

    [Fact]
    public async Task Ready_and_current_is_Healthy()
    {
        var health = await RunAsync(SampleConnection.Ready("True", "Reconciled", "Keys published"));

        Assert.Equal("Healthy", (string?)health["status"]);
        Assert.Equal("Keys published", (string?)health["message"]);
    }

    [Fact]
    public async Task A_connection_as_the_operator_left_it_after_a_rotation_is_Healthy_and_the_action_rotates_it_again()
    {
        var recorded = SampleConnection.Recorded();

        var health = await RunAsync(recorded);
        var bumped = await LuaScript.RunAsync("actions/rotate-keys/action.lua", recorded);
        var afterBump = await RunAsync(bumped!.AsObject());

        Assert.Equal("Healthy", (string?)health["status"]);
        Assert.Equal("Progressing", (string?)afterBump["status"]);
        Assert.Equal("Waiting for the operator to rotate the keys", (string?)afterBump["message"]);
    }

    [Fact]
    public async Task No_status_yet_is_Progressing()
    {
        var health = await RunAsync(SampleConnection.WithoutStatus());

        Assert.Equal("Progressing", (string?)health["status"]);
    }

    [Fact]
    public async Task A_status_from_an_older_generation_is_Progressing_even_when_it_said_Ready()
    {
        var health = await RunAsync(SampleConnection.Ready("True", "Reconciled", generation: 3, observedGeneration: 2));

        Assert.Equal("Progressing", (string?)health["status"]);
        Assert.Contains("generation 3", (string?)health["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Ready_condition_from_an_older_generation_is_Progressing()
    {
        var connection = SampleConnection.Ready("True", "Reconciled", generation: 3, observedGeneration: 3);
        connection["status"]!["conditions"]![0]!["observedGeneration"] = 2;

        var health = await RunAsync(connection);

        Assert.Equal("Progressing", (string?)health["status"]);
    }

    [Fact]
    public async Task Validation_pending_is_Progressing()
    {
        var health = await RunAsync(SampleConnection.Ready("False", "ValidationPending", "Waiting for the first login with key 1"));

        Assert.Equal("Progressing", (string?)health["status"]);
        Assert.Contains("ValidationPending", (string?)health["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_Ready_condition_is_Progressing()
    {
        var health = await RunAsync(SampleConnection.Ready("Unknown", "Reconciling"));

        Assert.Equal("Progressing", (string?)health["status"]);
    }

    [Theory]
    [InlineData("SecretConflict", "Secret warehouse-bastion-ssh-keys is not controlled by this resource")]
    [InlineData("SecretInvalid", "private-key-1 is missing")]
    [InlineData("InvalidRotationToken", "sshtunnels.io/rotate-keys must be an integer, got 'soon'")]
    [InlineData("ValidationFailed", "Permission denied (publickey)")]
    public async Task A_failure_reason_is_Degraded_with_the_operators_message(string reason, string message)
    {
        var health = await RunAsync(SampleConnection.Ready("False", reason, message));

        Assert.Equal("Degraded", (string?)health["status"]);
        Assert.Equal(reason + ": " + message, (string?)health["message"]);
    }

    [Fact]
    public async Task A_rotation_the_operator_has_not_handled_yet_is_Progressing()
    {
        var health = await RunAsync(SampleConnection.Ready("True", "Reconciled", rotateKeys: "1764200100", handledToken: "1764200000"));

        Assert.Equal("Progressing", (string?)health["status"]);
        Assert.Contains("rotate", (string?)health["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1764200000")]
    [InlineData("1764100000")]
    public async Task A_handled_or_reverted_rotation_token_is_Healthy(string annotation)
    {
        var health = await RunAsync(SampleConnection.Ready("True", "Reconciled", rotateKeys: annotation, handledToken: "1764200000"));

        Assert.Equal("Healthy", (string?)health["status"]);
    }

    private static async Task<JsonNode> RunAsync(JsonObject connection) =>
        await LuaScript.RunAsync(Script, connection) ?? throw new InvalidOperationException("health.lua returned nothing");
}
