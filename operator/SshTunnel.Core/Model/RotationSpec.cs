using System.Text.Json.Serialization;
using SshTunnel.Core.Rotation;

namespace SshTunnel.Core.Model;

/// <summary><c>spec.rotation</c>: how rotations are carried out, and how often they happen by themselves.</summary>
public sealed class RotationSpec
{
    [JsonPropertyName("guard")]
    public RotationGuard Guard { get; set; } = RotationGuard.SecondaryKeyAuthorized;

    /// <summary>
    /// A Go-style duration (<c>720h</c>, <c>1h30m</c>): rotate by itself once key 1 is older than
    /// this. Null means rotations happen only when asked for.
    /// </summary>
    [JsonPropertyName("interval")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Interval { get; set; }

    /// <summary>The interval as a duration; null when none is set (or it cannot be read, which the CRD refuses).</summary>
    [JsonIgnore]
    public TimeSpan? ParsedInterval => RotationInterval.Parse(Interval);
}
