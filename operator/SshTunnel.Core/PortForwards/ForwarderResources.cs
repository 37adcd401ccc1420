using System.Text.Json.Serialization;

namespace SshTunnel.Core.PortForwards;

/// <summary><c>spec.resources</c>: the forwarder container's requests and limits (core/v1 ResourceRequirements without claims).</summary>
public sealed record ForwarderResources
{
    [JsonPropertyName("limits")]
    [JsonConverter(typeof(QuantityMapConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Limits { get; init; }

    [JsonPropertyName("requests")]
    [JsonConverter(typeof(QuantityMapConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Requests { get; init; }
}
