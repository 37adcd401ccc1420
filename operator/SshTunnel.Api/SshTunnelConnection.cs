using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;

namespace SshTunnel.Api;

/// <summary>The <c>SshTunnelConnection</c> custom resource as KubernetesClient reads and writes it.</summary>
public sealed class SshTunnelConnection : IKubernetesObject<V1ObjectMeta>, ISpec<ConnectionSpec>, IStatus<ConnectionStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ResourceNames.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceNames.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ConnectionSpec Spec { get; set; } = new();

    /// <summary>Left out when null, so a create never sends a status the server would drop anyway.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConnectionStatus? Status { get; set; }
}
