using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>What the operator has done with the <c>sshtunnels.io/rotate-keys</c> annotation.</summary>
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
}
