using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Kube.Emulator.Objects;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Flux;

/// <summary>
/// The CEL health checks of flux/kustomization.yaml, evaluated (with the Cel package) against
/// connections as the operator leaves them, the object's fields as variables as Flux passes them.
/// </summary>
public sealed class HealthCheckExpressionTests
{
    private static readonly JsonObject Check = LoadCheck();

    [Fact]
    public void Ready_and_current_is_Current()
    {
        var result = Evaluate(SampleConnection.Ready("True", "Reconciled"));

        Assert.Equal((false, false, true), result);
    }

    [Fact]
    public void A_status_from_an_older_generation_is_InProgress()
    {
        var result = Evaluate(SampleConnection.Ready("True", "Reconciled", generation: 3, observedGeneration: 2));

        Assert.Equal((true, false, false), result);
    }

    [Fact]
    public void Validation_pending_is_InProgress()
    {
        var result = Evaluate(SampleConnection.Ready("False", "ValidationPending"));

        Assert.Equal((true, false, false), result);
    }

    [Theory]
    [InlineData("SecretConflict")]
    [InlineData("SecretInvalid")]
    [InlineData("InvalidRotationToken")]
    [InlineData("ValidationFailed")]
    public void A_failure_reason_is_Failed(string reason)
    {
        var result = Evaluate(SampleConnection.Ready("False", reason));

        Assert.Equal((false, true, false), result);
    }

    [Fact]
    public void A_connection_recorded_from_the_operator_is_Current()
    {
        Assert.Equal((false, false, true), Evaluate(SampleConnection.Recorded()));
    }

    [Fact]
    public void The_checks_are_for_SshTunnelConnection()
    {
        Assert.Equal("sshtunnels.io/v1alpha1", (string?)Check["apiVersion"]);
        Assert.Equal("SshTunnelConnection", (string?)Check["kind"]);
    }

    private static (bool InProgress, bool Failed, bool Current) Evaluate(JsonObject connection)
    {
        var variables = connection.ToDictionary(field => field.Key, field => ToCel(field.Value));
        return (Run("inProgress", variables), Run("failed", variables), Run("current", variables));
    }

    private static bool Run(string name, Dictionary<string, object?> variables)
    {
        var environment = new CelEnvironment(null, null);
        var program = environment.Compile((string)Check[name]!);
        return Assert.IsType<bool>(program(variables));
    }

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject item => item.ToDictionary(field => field.Key, field => ToCel(field.Value)),
        JsonArray list => list.Select(ToCel).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => integer,
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static JsonObject LoadCheck()
    {
        var kustomization = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "flux", "kustomization.yaml")))!;
        return Assert.Single(kustomization["spec"]!["healthCheckExprs"]!.AsArray())!.AsObject();
    }
}
