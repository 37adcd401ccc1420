using System.Text.Json.Serialization;

namespace SshTunnel.Core.PortForwards;

/// <summary>One entry of <c>spec.forwards</c>: a port of the Service, forwarded to <c>targetHost:targetPort</c> as the bastion sees it.</summary>
public sealed record ForwardedPort
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("port")]
    public int Port { get; init; }

    [JsonPropertyName("targetHost")]
    public string TargetHost { get; init; } = "";

    [JsonPropertyName("targetPort")]
    public int TargetPort { get; init; }
}
