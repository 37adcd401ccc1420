using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;

namespace SshTunnel.Benchmarks.Cluster;

/// <summary>An <c>SshTunnelConnection</c> as the harness writes and watches it.</summary>
internal sealed class TunnelConnection : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ResourceNames.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceNames.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ConnectionSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConnectionStatus? Status { get; set; }
}
