using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>
/// The observed state of an <c>SshTunnelConnection</c>. Derived from the key Secret and the
/// last probe results, so it can always be rebuilt.
/// </summary>
public sealed record ConnectionStatus
{
    [JsonPropertyName("observedGeneration")]
    public long ObservedGeneration { get; init; }

    [JsonPropertyName("publicKey1")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey1 { get; init; }

    [JsonPropertyName("publicKey2")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey2 { get; init; }

    [JsonPropertyName("rotation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RotationStatus? Rotation { get; init; }

    [JsonPropertyName("connection")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConnectionParameters? Connection { get; init; }

    [JsonPropertyName("hostKeyFingerprint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HostKeyFingerprint { get; init; }

    [JsonPropertyName("lastValidationTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastValidationTime { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
}
