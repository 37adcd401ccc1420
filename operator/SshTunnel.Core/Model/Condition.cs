using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>A status condition in the shape of <c>metav1.Condition</c>.</summary>
public sealed record Condition
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long ObservedGeneration { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTimeOffset LastTransitionTime { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}
