using System.Text.Json.Serialization;

namespace SshTunnel.Core.PortForwards;

/// <summary>The desired state of an <c>SshPortForward</c>, as the user writes it.</summary>
public sealed class PortForwardSpec
{
    /// <summary>The forwarder pods run when the spec leaves <c>replicas</c> out.</summary>
    public const int DefaultReplicas = 1;

    [JsonPropertyName("connectionName")]
    public string ConnectionName { get; set; } = "";

    [JsonPropertyName("replicas")]
    public int Replicas { get; set; } = DefaultReplicas;

    [JsonPropertyName("forwards")]
    public IReadOnlyList<ForwardedPort> Forwards { get; set; } = [];

    /// <summary>Null means the operator's defaults.</summary>
    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ForwarderResources? Resources { get; set; }

    [JsonPropertyName("nodeSelector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PodToleration>? Tolerations { get; set; }
}
