using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Patching;
using Kube.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>The autoscaling/v1 Scale subresource of Deployments (<c>kubectl scale</c>): a view of spec.replicas.</summary>
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
                    await HttpIo.WriteJsonAsync(context, 200, ScaleOf(current)).ConfigureAwait(false);
                    return;
                }

            case "update" or "patch":
                {
                    var options = WriteOptions.From(context);
                    var body = await HttpIo.ReadBodyAsync(context).ConfigureAwait(false);
                    var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
                    var (result, _) = objects.Update(type, namespaceName, name, null, current =>
                    {
                        var scale = ScaleOf(current);
                        var wanted = verb == "update" ? HttpIo.ParseObject(body, context.Request.ContentType) : Patched(scale, contentType, body);
                        var deployment = current.Parse();
                        deployment.GetOrAddObject("spec")["replicas"] = wanted["spec"]?["replicas"]?.DeepClone();
                        deployment.Meta()["resourceVersion"] = wanted.Meta().GetString("resourceVersion") ?? deployment.Meta().GetString("resourceVersion");
                        return deployment;
                    }, options);
                    await HttpIo.WriteJsonAsync(context, 200, ScaleOf(result)).ConfigureAwait(false);
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

    private static JsonObject ScaleOf(StoredObject stored)
    {
        var deployment = stored.Parse();
        var metadata = deployment.Meta();
        var labels = deployment["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
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
            ["spec"] = new JsonObject { ["replicas"] = deployment["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = deployment["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = string.Join(',', labels.Select(pair => pair.Key + "=" + pair.Value)),
            },
        };
    }
}
