using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Api;

/// <summary>The <c>SshPortForward</c> custom resource as KubernetesClient reads and writes it.</summary>
public sealed class SshPortForward : IKubernetesObject<V1ObjectMeta>, ISpec<PortForwardSpec>, IStatus<PortForwardStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ResourceNames.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = PortForwardNames.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public PortForwardSpec Spec { get; set; } = new();

    /// <summary>Left out when null, so a create never sends a status the server would drop anyway.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PortForwardStatus? Status { get; set; }
}
