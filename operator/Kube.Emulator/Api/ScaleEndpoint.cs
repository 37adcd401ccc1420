using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Patching;
using Kube.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>
/// The autoscaling/v1 Scale subresource (<c>kubectl scale</c>) of Deployments and of custom resources whose CRD
/// declares one: a view of the replica fields; a write goes through the object's own validation.
/// </summary>
internal sealed class ScaleEndpoint(ObjectService objects)
{
    public async Task ServeAsync(HttpContext context, ResourceType type, string namespaceName, string name, string verb)
    {
        var key = type.KeyOf(namespaceName, name);
        switch (verb)
        {
            case "get":
                {
                    var current = type.Store.Get(key) ?? throw ApiErrors.NotFound(type, name);
                    await HttpIo.WriteJsonAsync(context, 200, ScaleOf(type, current)).ConfigureAwait(false);
                    return;
                }

            case "update" or "patch":
                {
                    var options = WriteOptions.From(context);
                    var body = await HttpIo.ReadBodyAsync(context).ConfigureAwait(false);
                    var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
                    var (result, _) = objects.Update(type, namespaceName, name, null, current =>
                    {
                        var scale = ScaleOf(type, current);
                        var wanted = verb == "update" ? HttpIo.ParseObject(body, context.Request.ContentType) : Patched(scale, contentType, body);
                        var scaled = current.Parse();
                        ScalePaths.Write(scaled, PathsOf(type).SpecReplicas, wanted["spec"]?["replicas"]?.DeepClone());
                        scaled.Meta()["resourceVersion"] = wanted.Meta().GetString("resourceVersion") ?? scaled.Meta().GetString("resourceVersion");
                        return scaled;
                    }, options);
                    await HttpIo.WriteJsonAsync(context, 200, ScaleOf(type, result)).ConfigureAwait(false);
                    return;
                }

            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private static JsonObject Patched(JsonObject scale, string contentType, byte[] body)
    {
        var patch = HttpIo.ParseNode(body);
        var patched = contentType switch
        {
            "application/json-patch+json" when patch is JsonArray operations => JsonPatch.Apply(scale, operations),
            "application/merge-patch+json" => JsonMergePatch.Apply(scale, patch),
            "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(scale, patch),
            _ => throw ApiErrors.UnsupportedMediaType(["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]),
        };
        return patched as JsonObject ?? throw ApiErrors.BadRequest("the patch turned the object into something that is not an object");
    }

    private static ScalePaths PathsOf(ResourceType type) => type.Custom?.Scale ?? ScalePaths.Deployment;

    private static JsonObject ScaleOf(ResourceType type, StoredObject stored)
    {
        var obj = stored.Parse();
        var metadata = obj.Meta();
        var paths = PathsOf(type);

        // A Deployment's replicas default to 1 and its selector is spec.selector; a custom resource's missing
        // replicas read as 0 and its selector is the string at labelSelectorPath, as the real server reads them.
        var custom = type.Custom?.Scale is not null;
        var selector = custom
            ? (paths.LabelSelector is { } path ? ScalePaths.Read(obj, path)?.DeepClone() : null) ?? string.Empty
            : string.Join(',', (obj["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(pair => pair.Key + "=" + pair.Value));
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = ScalePaths.Read(obj, paths.SpecReplicas)?.DeepClone() ?? (custom ? 0 : 1) },
            ["status"] = new JsonObject
            {
                ["replicas"] = ScalePaths.Read(obj, paths.StatusReplicas)?.DeepClone() ?? 0,
                ["selector"] = selector,
            },
        };
    }
}
