using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Selectors;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>DELETE and DELETECOLLECTION, with DeleteOptions from the query or the body (JSON or protobuf).</summary>
internal sealed class DeleteEndpoint(ResourceRegistry registry, ObjectService objects, TimeProvider time)
{
    public async Task DeleteAsync(HttpContext context, ResourceType type, string? namespaceName, string name)
    {
        var request = await DeleteRequestOf(context).ConfigureAwait(false);
        var (result, deleted) = objects.Delete(type, namespaceName, name, request);
        if (deleted && !type.Strategy.ReturnDeletedObject)
        {
            var details = new JsonObject { ["name"] = name };
            if (type.Group.Length > 0)
            {
                details["group"] = type.Group;
            }

            details["kind"] = type.Plural;
            details["uid"] = result.Uid;
            await HttpIo.WriteJsonAsync(context, 200, new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Success",
                ["details"] = details,
            }).ConfigureAwait(false);
            return;
        }

        await ObjectResponses.WriteAsync(context, type, 200, result, time).ConfigureAwait(false);
    }

    public async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? namespaceName)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        var request = await DeleteRequestOf(context).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (var item in type.Store.List(namespaceName).Items)
        {
            if (!labels.Matches(item.Labels) || !fields.Matches(item))
            {
                continue;
            }

            try
            {
                items.Add(ObjectResponses.Render(type, objects.Delete(type, item.Namespace, item.Name, request).Result).DeepClone());
            }
            catch (ApiException error) when (error.Code == 404)
            {
                continue;
            }
        }

        await HttpIo.WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = registry.Clock.Current.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        }).ConfigureAwait(false);
    }

    private static async Task<DeleteRequest> DeleteRequestOf(HttpContext context)
    {
        var query = context.Request.Query;
        var policy = query["propagationPolicy"].ToString();
        var dryRun = query["dryRun"].ToString() == "All";
        string? uid = null;
        string? resourceVersion = null;
        if (query["orphanDependents"].ToString() == "true")
        {
            policy = "Orphan";
        }

        var body = await HttpIo.ReadBodyAsync(context).ConfigureAwait(false);
        if (body.Length > 0 && HttpIo.ParseObject(body, context.Request.ContentType) is { } options)
        {
            policy = options.GetString("propagationPolicy") ?? policy;
            if (options["orphanDependents"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                policy = "Orphan";
            }

            dryRun |= options.GetStrings("dryRun").Contains("All");
            if (options["preconditions"] is JsonObject preconditions)
            {
                uid = preconditions.GetString("uid");
                resourceVersion = preconditions.GetString("resourceVersion");
            }
        }

        if (policy.Length > 0 && policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw ApiErrors.BadRequest("propagationPolicy: Unsupported value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        return new DeleteRequest(uid, resourceVersion, policy.Length == 0 ? "Background" : policy, dryRun);
    }

}
