using System.Text.Json.Nodes;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>SshTunnelConnection objects as the operator leaves them, for the Argo CD and Flux health checks.</summary>
public static class SampleConnection
{
    public const string RotateKeys = "sshtunnels.io/rotate-keys";

    /// <summary>A connection as the operator (dev mode) published it after one rotation: Ready, validation disabled.</summary>
    public static JsonObject Recorded() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "rotated-connection.json")))!.AsObject();

    public static JsonObject WithoutStatus(long generation = 1) => new()
    {
        ["apiVersion"] = "sshtunnels.io/v1alpha1",
        ["kind"] = "SshTunnelConnection",
        ["metadata"] = new JsonObject { ["name"] = "warehouse-bastion", ["namespace"] = "default", ["generation"] = generation },
        ["spec"] = new JsonObject { ["host"] = "bastion.example.com", ["port"] = 22, ["user"] = "materialize", ["validate"] = true },
    };

    /// <summary>A connection whose Ready condition has the given status and reason.</summary>
    public static JsonObject Ready(
        string status,
        string reason,
        string message = "",
        long generation = 2,
        long observedGeneration = 2,
        string? rotateKeys = null,
        string? handledToken = null)
    {
        var connection = WithoutStatus(generation);
        if (rotateKeys is not null)
        {
            connection["metadata"]!["annotations"] = new JsonObject { [RotateKeys] = rotateKeys };
        }

        connection["status"] = new JsonObject
        {
            ["observedGeneration"] = observedGeneration,
            ["publicKey1"] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOn default/warehouse-bastion",
            ["rotation"] = new JsonObject { ["handled"] = handledToken, ["count"] = 0 },
            ["conditions"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = status,
                    ["reason"] = reason,
                    ["message"] = message,
                    ["observedGeneration"] = observedGeneration,
                    ["lastTransitionTime"] = "2026-11-27T09:00:00Z",
                },
                new JsonObject
                {
                    ["type"] = "Validated",
                    ["status"] = "Unknown",
                    ["reason"] = "ValidationPending",
                    ["message"] = "",
                    ["observedGeneration"] = observedGeneration,
                    ["lastTransitionTime"] = "2026-11-27T09:00:00Z",
                },
            },
        };
        return connection;
    }
}
