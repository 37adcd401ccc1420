using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;

namespace SshTunnel.Operator.Resources;

/// <summary>The <c>SshTunnelConnection</c> custom resource as KubernetesClient reads and writes it.</summary>
public sealed class SshTunnelConnection : IKubernetesObject<V1ObjectMeta>, ISpec<ConnectionSpec>, IStatus<ConnectionStatus?>
{
    public const string Group = "sshtunnels.io";
    public const string Version = "v1alpha1";
    public const string Plural = "sshtunnelconnections";
    public const string KindName = "SshTunnelConnection";
    public const string GroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ConnectionSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public ConnectionStatus? Status { get; set; }
}
