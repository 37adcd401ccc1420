using System.Text.Json.Nodes;

namespace SshTunnel.Core.PortForwards;

/// <summary>The ClusterIP Service <c>&lt;name&gt;</c>: one port per forward, to the forwarder pods' named container ports.</summary>
public static class ForwarderServiceTemplate
{
    public static JsonObject Build(PortForwardResource resource)
    {
        var ports = new JsonArray();
        foreach (var forward in resource.Spec.Forwards)
        {
            // As a JsonNode: the generic Add<T> would go through reflection-based serialization.
            ports.Add((JsonNode)new JsonObject
            {
                ["name"] = forward.Name,
                ["protocol"] = "TCP",
                ["port"] = forward.Port,
                ["targetPort"] = forward.Name,
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = WorkloadMetadata.For(resource, PortForwardNames.ServiceName(resource.Name)),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["selector"] = WorkloadMetadata.Map(PortForwardNames.SelectorLabels(resource.Name)),
                ["ports"] = ports,
            },
        };
    }
}
