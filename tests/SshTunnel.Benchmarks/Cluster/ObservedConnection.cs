using System.Text.Json.Serialization;

namespace SshTunnel.Benchmarks.Cluster;

/// <summary>
/// The part of a watched connection the harness reads: its name, resourceVersion and published keys. The status
/// watcher decodes watch events into this instead of the full resource, since the deserializer then skips
/// everything else (spec, managed fields, conditions) without building it: the harness shares the 2 cores with
/// the operator it measures.
/// </summary>
internal sealed class ObservedConnection
{
    [JsonPropertyName("metadata")]
    public ObjectIdentity? Metadata { get; set; }

    [JsonPropertyName("status")]
    public KeysStatus? Status { get; set; }

    /// <summary>metadata.name and metadata.resourceVersion.</summary>
    internal sealed class ObjectIdentity
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("resourceVersion")]
        public string? ResourceVersion { get; set; }
    }

    /// <summary>status.publicKey1 and status.publicKey2.</summary>
    internal sealed class KeysStatus
    {
        [JsonPropertyName("publicKey1")]
        public string? PublicKey1 { get; set; }

        [JsonPropertyName("publicKey2")]
        public string? PublicKey2 { get; set; }
    }
}
