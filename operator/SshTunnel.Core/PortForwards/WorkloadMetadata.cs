using System.Text.Json.Nodes;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.PortForwards;

/// <summary>The metadata the Deployment and the Service share: name, labels and the controller ownerReference.</summary>
internal static class WorkloadMetadata
{
    public static JsonObject For(PortForwardResource resource, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = resource.Namespace,
        ["labels"] = Map(PortForwardNames.Labels(resource.Name)),
        ["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = ResourceNames.ApiVersion,
            ["kind"] = PortForwardNames.Kind,
            ["name"] = resource.Name,
            ["uid"] = resource.Uid,
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        }),
    };

    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var map = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }

    /// <summary>The uid of the object's controller ownerReference, or null.</summary>
    public static string? ControllerUid(JsonObject existing) =>
        existing["metadata"]?["ownerReferences"] is JsonArray owners
            ? owners.OfType<JsonObject>().FirstOrDefault(owner => owner["controller"]?.GetValue<bool>() == true)?["uid"]?.GetValue<string>()
            : null;
}
