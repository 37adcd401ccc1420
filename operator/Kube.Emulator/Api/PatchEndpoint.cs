using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Patching;
using Kube.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>PATCH: JSON patch, merge patch, strategic merge patch (built-ins only) and server-side apply.</summary>
internal sealed class PatchEndpoint(ObjectService objects, TimeProvider time)
{
    private const string JsonPatchType = "application/json-patch+json";
    private const string MergePatchType = "application/merge-patch+json";
    private const string StrategicPatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";

    public async Task PatchAsync(HttpContext context, ResourceType type, string? namespaceName, string name, string? subresource)
    {
        var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var accepted = type.Strategy.SupportsStrategicMerge
            ? new[] { JsonPatchType, MergePatchType, ApplyPatchType, StrategicPatchType }
            : [JsonPatchType, MergePatchType, ApplyPatchType];
        if (!accepted.Contains(contentType) && contentType != "application/apply-patch+cbor")
        {
            throw ApiErrors.UnsupportedMediaType(accepted);
        }

        var options = WriteOptions.From(context);
        var body = await HttpIo.ReadBodyAsync(context).ConfigureAwait(false);
        StoredObject result;
        var created = false;
        if (contentType.StartsWith("application/apply-patch", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
            {
                throw ApiErrors.BadRequest("PATCH requests with apply must have a fieldManager");
            }

            var applied = HttpIo.ParseObject(body, null);
            var force = context.Request.Query["force"].ToString() == "true";
            applied.Meta().Remove("managedFields");
            var appliedName = applied.NameOf();
            if (!string.IsNullOrEmpty(appliedName) && appliedName != name)
            {
                throw ApiErrors.BadRequest("the name of the object (" + appliedName + ") does not match the name on the URL (" + name + ")");
            }

            (result, created) = objects.Update(
                type,
                namespaceName,
                name,
                subresource,
                current =>
                {
                    var live = current.Parse();
                    var version = live.Meta().GetString("resourceVersion");
                    var merged = ServerSideApply.Apply(live, (JsonObject)applied.DeepClone(), options.FieldManager, subresource, type.Strategy.SupportsStrategicMerge, force);
                    merged.Meta()["resourceVersion"] = applied.Meta().GetString("resourceVersion") ?? version;
                    return merged;
                },
                options,
                create: () =>
                {
                    var fresh = (JsonObject)applied.DeepClone();
                    fresh.Meta()["name"] = name;
                    return fresh;
                },
                operation: "Apply",
                appliedFields: _ => applied);
        }
        else
        {
            var patch = HttpIo.ParseNode(body);
            (result, _) = objects.Update(
                type,
                namespaceName,
                name,
                subresource,
                current =>
                {
                    var live = current.Parse();
                    var patched = contentType switch
                    {
                        JsonPatchType => patch is JsonArray operations ? JsonPatch.Apply(live, operations) : throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
                        MergePatchType => JsonMergePatch.Apply(live, patch),
                        _ => StrategicMergePatch.Apply(live, patch),
                    };
                    return patched as JsonObject ?? throw ApiErrors.BadRequest("the patch turned the object into something that is not an object");
                },
                options);
        }

        HttpIo.AddWarnings(context, options.Warnings);
        await ObjectResponses.WriteAsync(context, type, created ? 201 : 200, result, time).ConfigureAwait(false);
    }

}
