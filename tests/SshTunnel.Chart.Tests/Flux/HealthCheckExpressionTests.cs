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
/// connections and port forwards as the operator leaves them, the object's fields as variables as Flux passes them.
/// </summary>
public sealed class HealthCheckExpressionTests
{
    private static readonly JsonObject Check = LoadCheck("SshTunnelConnection");
    private static readonly JsonObject PortForwardCheck = LoadCheck("SshPortForward");

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

    [Theory]
    [InlineData("True", "Available", null, false, false, true)]
    [InlineData("True", "ScaledToZero", null, false, false, true)]
    [InlineData("True", "Available", "RollingOut", true, false, false)]
    [InlineData("False", "ForwardersNotReady", "ForwardersNotReady", true, false, false)]
    [InlineData("False", "ConnectionNotReady", "ConnectionNotReady", true, false, false)]
    [InlineData("False", "ConnectionNotFound", null, false, true, false)]
    [InlineData("False", "DeploymentConflict", null, false, true, false)]
    [InlineData("False", "ServiceConflict", null, false, true, false)]
    [InlineData("False", "ProgressDeadlineExceeded", null, false, true, false)]
    public void A_port_forward_is_read_from_Ready_and_Reconciling(string status, string reason, string? reconciling, bool inProgress, bool failed, bool current)
    {
        var conditions = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = status, ["reason"] = reason });
        if (reconciling is not null)
        {
            conditions.Add(new JsonObject { ["type"] = "Reconciling", ["status"] = "True", ["reason"] = reconciling });
        }

        var forward = PortForward(generation: 2);
        forward["status"] = new JsonObject { ["observedGeneration"] = 2, ["conditions"] = conditions };

        Assert.Equal((inProgress, failed, current), Evaluate(forward, PortForwardCheck));
    }

    [Fact]
    public void A_port_forward_with_an_empty_status_or_one_of_an_older_generation_is_InProgress()
    {
        var empty = PortForward(generation: 1);
        empty["status"] = new JsonObject();
        var stale = PortForward(generation: 3);
        stale["status"] = new JsonObject
        {
            ["observedGeneration"] = 2,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Available" }),
        };

        Assert.Equal((true, false, false), Evaluate(empty, PortForwardCheck));
        Assert.Equal((true, false, false), Evaluate(stale, PortForwardCheck));
    }

    private static JsonObject PortForward(long generation) => new()
    {
        ["apiVersion"] = "sshtunnels.io/v1alpha1",
        ["kind"] = "SshPortForward",
        ["metadata"] = new JsonObject { ["name"] = "warehouse-db", ["namespace"] = "default", ["generation"] = generation },
        ["spec"] = new JsonObject { ["connectionName"] = "warehouse-bastion" },
    };

    private static (bool InProgress, bool Failed, bool Current) Evaluate(JsonObject resource, JsonObject? check = null)
    {
        var variables = resource.ToDictionary(field => field.Key, field => ToCel(field.Value));
        check ??= Check;
        return (Run(check, "inProgress", variables), Run(check, "failed", variables), Run(check, "current", variables));
    }

    private static bool Run(JsonObject check, string name, Dictionary<string, object?> variables)
    {
        var environment = new CelEnvironment(null, null);
        var program = environment.Compile((string)check[name]!);
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

    private static JsonObject LoadCheck(string kind)
    {
        var kustomization = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "flux", "kustomization.yaml")))!;
        return Assert.Single(kustomization["spec"]!["healthCheckExprs"]!.AsArray(), check => (string?)check!["kind"] == kind)!.AsObject();
    }
}
