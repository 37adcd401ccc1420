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

    [JsonPropertyName("publicKey1Fingerprint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey1Fingerprint { get; init; }

    [JsonPropertyName("publicKey2Fingerprint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey2Fingerprint { get; init; }

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

    [JsonPropertyName("nextValidationTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NextValidationTime { get; init; }

    [JsonPropertyName("revalidation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RevalidationStatus? Revalidation { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>Field by field, conditions in order, so an unchanged status is never written again.</summary>
    public bool Equals(ConnectionStatus? other) =>
        other is not null
        && ObservedGeneration == other.ObservedGeneration
        && PublicKey1 == other.PublicKey1
        && PublicKey2 == other.PublicKey2
        && PublicKey1Fingerprint == other.PublicKey1Fingerprint
        && PublicKey2Fingerprint == other.PublicKey2Fingerprint
        && Rotation == other.Rotation
        && Connection == other.Connection
        && HostKeyFingerprint == other.HostKeyFingerprint
        && LastValidationTime == other.LastValidationTime
        && NextValidationTime == other.NextValidationTime
        && Revalidation == other.Revalidation
        && Conditions.SequenceEqual(other.Conditions);

    public override int GetHashCode() =>
        HashCode.Combine(ObservedGeneration, PublicKey1, PublicKey2, Rotation, Connection, HostKeyFingerprint, LastValidationTime, Conditions.Count);
}
