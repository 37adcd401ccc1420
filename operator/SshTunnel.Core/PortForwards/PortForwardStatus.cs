using System.Text.Json.Serialization;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.PortForwards;

/// <summary>The observed state of an <c>SshPortForward</c>, derived from its connection and its Deployment.</summary>
public sealed record PortForwardStatus
{
    [JsonPropertyName("observedGeneration")]
    public long ObservedGeneration { get; init; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; init; }

    [JsonPropertyName("selector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Selector { get; init; }

    /// <summary>Dev mode only: <c>name=127.0.0.1:port</c> per forward, in spec order, comma-separated.</summary>
    [JsonPropertyName("localAddress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LocalAddress { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>Field by field, conditions in order, so an unchanged status is never written again.</summary>
    public bool Equals(PortForwardStatus? other) =>
        other is not null
        && ObservedGeneration == other.ObservedGeneration
        && Replicas == other.Replicas
        && ReadyReplicas == other.ReadyReplicas
        && Selector == other.Selector
        && LocalAddress == other.LocalAddress
        && Conditions.SequenceEqual(other.Conditions);

    public override int GetHashCode() => HashCode.Combine(ObservedGeneration, Replicas, ReadyReplicas, Selector, LocalAddress, Conditions.Count);
}
