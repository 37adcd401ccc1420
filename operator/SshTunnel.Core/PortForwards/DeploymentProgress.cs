using System.Globalization;
using System.Text.Json.Nodes;

namespace SshTunnel.Core.PortForwards;

/// <summary>What a Deployment's status says, as the Deployment controller publishes it.</summary>
public sealed record DeploymentProgress(
    long Generation,
    long ObservedGeneration,
    int Replicas,
    int UpdatedReplicas,
    int ReadyReplicas,
    int AvailableReplicas,
    bool ProgressDeadlineExceeded)
{
    /// <summary>The reason the Deployment controller gives a rollout that passed <c>progressDeadlineSeconds</c>.</summary>
    public const string DeadlineExceededReason = "ProgressDeadlineExceeded";

    /// <summary>Reads the Deployment's metadata.generation and status; missing counts are 0.</summary>
    public static DeploymentProgress Of(JsonObject deployment)
    {
        var status = deployment["status"] as JsonObject;
        var progressing = (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(condition => condition["type"]?.GetValue<string>() == "Progressing");
        return new DeploymentProgress(
            Long(deployment["metadata"]?["generation"]),
            Long(status?["observedGeneration"]),
            (int)Long(status?["replicas"]),
            (int)Long(status?["updatedReplicas"]),
            (int)Long(status?["readyReplicas"]),
            (int)Long(status?["availableReplicas"]),
            progressing?["status"]?.GetValue<string>() == "False" && progressing["reason"]?.GetValue<string>() == DeadlineExceededReason);
    }

    /// <summary>Whether the controller has seen the spec and every pod asked for runs it and is ready, with no old pod left.</summary>
    public bool RolledOut(int wanted) =>
        ObservedGeneration >= Generation && UpdatedReplicas >= wanted && ReadyReplicas >= wanted && AvailableReplicas >= wanted && Replicas == wanted;

    private static long Long(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
