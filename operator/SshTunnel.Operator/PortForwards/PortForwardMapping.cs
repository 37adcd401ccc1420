using System.Text.Json.Nodes;
using k8s;
using SshTunnel.Api;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Operator.PortForwards;

/// <summary>Maps KubernetesClient objects to Core's views: the port forward, and Deployments and Services as the JSON the API server sends.</summary>
public static class PortForwardMapping
{
    public static PortForwardResource ToResource(SshPortForward forward) => new(
        forward.Metadata.NamespaceProperty ?? "",
        forward.Metadata.Name,
        forward.Metadata.Uid ?? "",
        forward.Metadata.Generation ?? 0,
        forward.Spec,
        forward.Status);

    /// <summary>The object in the API's JSON shape (KubernetesClient's serializer: what it sends and reads).</summary>
    public static JsonObject? ToJson<T>(T? resource) where T : class =>
        resource is null ? null : JsonNode.Parse(KubernetesJson.Serialize(resource))!.AsObject();

    /// <summary>Core's JSON as a typed object to send.</summary>
    public static T FromJson<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());
}
