using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace SshTunnel.Benchmarks.Cluster;

/// <summary>A list of <see cref="TunnelConnection"/>, the shape a LIST or WATCH of them returns.</summary>
internal sealed class TunnelConnectionList : IKubernetesObject<V1ListMeta>, IItems<TunnelConnection>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TunnelConnection> Items { get; set; } = [];
}
