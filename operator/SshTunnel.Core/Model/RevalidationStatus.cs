using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>What the operator has done with the <c>sshtunnels.io/revalidate</c> annotation.</summary>
public sealed record RevalidationStatus
{
    /// <summary>The annotation value the latest probe answered; any other value asks for a probe at once.</summary>
    [JsonPropertyName("handled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Handled { get; init; }
}
