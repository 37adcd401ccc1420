using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>What the operator has done with the <c>sshtunnels.io/rotate-keys</c> annotation and the rotation schedule.</summary>
public sealed record RotationStatus
{
    /// <summary>The highest annotation value handled; a value not greater than this does nothing.</summary>
    [JsonPropertyName("handled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Handled { get; init; }

    [JsonPropertyName("count")]
    public long Count { get; init; }

    [JsonPropertyName("lastRotationTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastRotationTime { get; init; }

    /// <summary>
    /// When <c>spec.rotation.interval</c> makes the next rotation due (key 1's last rotation, or
    /// the Secret's creation, plus the interval); null without an interval. Status only: the
    /// Secret records the times it is derived from.
    /// </summary>
    [JsonPropertyName("nextRotationTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NextRotationTime { get; init; }
}
