using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Patching;
using Kube.Emulator.Selectors;
using Kube.Emulator.Storage;
using Kube.Emulator.Tables;
using Kube.Emulator.Watch;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kube.Emulator.Api;

/// <summary>The HTTP front of the emulator: request info, injected faults, discovery, and the resource verbs.</summary>
internal sealed class ApiServer(ResourceRegistry registry, ObjectService objects, EmulatorControl control, DiscoveryEndpoints discovery, WatchStreamer watches, TimeProvider time, CancellationToken stopping)
{
    private const string JsonPatchType = "application/json-patch+json";
    private const string MergePatchType = "application/merge-patch+json";
    private const string StrategicPatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var apiPath = ApiPath.Parse(path);
        var method = request.Method;
        var info = apiPath.IsResource
            ? new RequestInfo(method, apiPath.Verb(method, IsTrue(request.Query["watch"])), apiPath.Group, apiPath.Version, apiPath.Resource, apiPath.Subresource, apiPath.Namespace, apiPath.Name, path)
            : new RequestInfo(method, method.ToLowerInvariant(), null, string.Empty, string.Empty, null, null, null, path);
        control.Observe(info);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, private";
        headers["Audit-Id"] = Guid.NewGuid().ToString();
        try
        {
            if (control.TakeFault(info) is { } fault)
            {
                await FaultAsync(context, info, fault).ConfigureAwait(false);
                return;
            }

            if (!apiPath.IsResource)
            {
                await discovery.ServeAsync(context, path).ConfigureAwait(false);
                return;
            }

            await ServeResourceAsync(context, apiPath, info).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            if (!context.Response.HasStarted)
            {
                await HttpIo.WriteStatusAsync(context, error).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The real server answers a handler panic with an InternalError Status too.
            if (!context.Response.HasStarted)
            {
                await HttpIo.WriteStatusAsync(context, ApiErrors.InternalError(failure.GetType().Name + ": " + failure.Message)).ConfigureAwait(false);
            }
        }
    }

    private async Task FaultAsync(HttpContext context, RequestInfo info, EmulatorFault fault)
    {
        switch (fault)
        {
            case EmulatorFault.ServerError { StatusCode: 503 }:
                throw new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request", new JsonObject());
            case EmulatorFault.ServerError error:
                throw new ApiException(error.StatusCode, "InternalError", "Internal error occurred: injected fault", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "injected fault" }) });
            case EmulatorFault.TooManyRequests tooMany:
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling(tooMany.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    throw new ApiException(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = int.Parse(seconds, CultureInfo.InvariantCulture) })
                    {
                        Headers = new Dictionary<string, string> { ["Retry-After"] = seconds },
                    };
                }

            case EmulatorFault.Timeout { RespondAfter: null }:
                {
                    using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, hang.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up, or the emulator stops: either way the connection just ends.
                        context.Abort();
                    }

                    return;
                }

            case EmulatorFault.Timeout timeout:
                await Task.Delay(timeout.RespondAfter.Value, time, context.RequestAborted).ConfigureAwait(false);
                throw new ApiException(504, "Timeout", "Timeout: request did not complete within requested timeout - context deadline exceeded", new JsonObject());
            default:
                {
                    var group = info.Group ?? string.Empty;
                    throw ApiErrors.Conflict(group, info.Resource, group.Length == 0 ? info.Resource : info.Resource + "." + group, info.Name ?? string.Empty);
                }
        }
    }

    private async Task ServeResourceAsync(HttpContext context, ApiPath apiPath, RequestInfo info)
    {
        var type = registry.Find(apiPath.Group ?? string.Empty, apiPath.Version, apiPath.Resource) ?? throw ApiErrors.ResourceNotFound();
        var isNamespaceObject = type.Group.Length == 0 && type.Plural == "namespaces";
        var namespaceName = isNamespaceObject ? null : apiPath.Namespace;
        if (apiPath.Subresource is { } subresource && !(subresource == "status" && type.HasStatus))
        {
            throw ApiErrors.ResourceNotFound();
        }

        if ((!type.Namespaced && namespaceName is not null) || (type.Namespaced && namespaceName is null && (apiPath.Name is not null || info.Verb is "create" or "deletecollection")))
        {
            throw ApiErrors.ResourceNotFound();
        }

        switch (info.Verb)
        {
            case "get":
                await GetAsync(context, type, namespaceName, apiPath.Name!).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, type, namespaceName).ConfigureAwait(false);
                break;
            case "watch":
                await watches.ServeAsync(context, type, namespaceName, apiPath.WatchPrefix ? apiPath.Name : null).ConfigureAwait(false);
                break;
            case "create" when apiPath.Name is null:
                {
                    var options = WriteOptionsOf(context);
                    var body = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
                    var created = objects.Create(type, namespaceName, body, options);
                    HttpIo.AddWarnings(context, options.Warnings);
                    await WriteObjectAsync(context, type, 201, created).ConfigureAwait(false);
                    break;
                }

            case "update":
                {
                    var options = WriteOptionsOf(context);
                    var body = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
                    var updated = objects.Replace(type, namespaceName, apiPath.Name!, apiPath.Subresource, body, options);
                    HttpIo.AddWarnings(context, options.Warnings);
                    await WriteObjectAsync(context, type, 200, updated).ConfigureAwait(false);
                    break;
                }

            case "patch":
                await PatchAsync(context, type, namespaceName, apiPath.Name!, apiPath.Subresource).ConfigureAwait(false);
                break;
            case "delete":
                await DeleteAsync(context, type, namespaceName, apiPath.Name!).ConfigureAwait(false);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, type, namespaceName).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private async Task GetAsync(HttpContext context, ResourceType type, string? namespaceName, string name)
    {
        var found = type.Store.Get(type.KeyOf(namespaceName, name)) ?? throw ApiErrors.NotFound(type, name);
        if (TableRequest.Wanted(context.Request))
        {
            var table = TableWriter.Build(type, [Render(type, found)], null, null, TableRequest.IncludeObject(context.Request), withHeaders: true, time);
            await HttpIo.WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await WriteObjectAsync(context, type, 200, found).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? namespaceName)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        var snapshot = type.Store.List(namespaceName);
        var items = snapshot.Items;
        var listVersion = snapshot.ResourceVersion;
        var start = 0;
        if (query["continue"] is { Count: > 0 } continueValue && !string.IsNullOrEmpty(continueValue))
        {
            var token = ContinueToken.Decode(continueValue!);
            if (token.ResourceVersion < snapshot.CompactedThrough)
            {
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                {
                    Metadata = new JsonObject { ["continue"] = new ContinueToken(-1, token.StartAfter).Encode() },
                };
            }

            listVersion = token.ResourceVersion;
            start = FirstAfter(items, token.StartAfter);
        }

        var limit = long.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedLimit) && parsedLimit > 0 ? parsedLimit : long.MaxValue;
        var selected = new List<StoredObject>();
        string? next = null;
        long? remaining = null;
        for (var index = start; index < items.Count; index++)
        {
            var item = items[index];
            if (!labels.Matches(item.Labels) || !fields.Matches(item))
            {
                continue;
            }

            if (selected.Count >= limit)
            {
                next = new ContinueToken(listVersion, selected[^1].Key).Encode();
                if (labels.IsEverything && fields.IsEverything)
                {
                    remaining = items.Count - index;
                }

                break;
            }

            selected.Add(item);
        }

        var versionText = listVersion.ToString(CultureInfo.InvariantCulture);
        if (TableRequest.Wanted(context.Request))
        {
            var table = TableWriter.Build(type, selected.Select(item => Render(type, item)), versionText, next, TableRequest.IncludeObject(context.Request), withHeaders: true, time);
            await HttpIo.WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (selected.Count * 512));
        var metadata = new JsonObject { ["resourceVersion"] = versionText };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        Append(buffer, "{\"kind\":\"" + type.ListKind + "\",\"apiVersion\":\"" + type.ApiVersion + "\",\"metadata\":" + metadata.ToJsonString() + ",\"items\":[");
        for (var index = 0; index < selected.Count; index++)
        {
            if (index > 0)
            {
                Append(buffer, ",");
            }

            buffer.Write(RenderBytes(type, selected[index]));
        }

        Append(buffer, "]}");
        await HttpIo.WriteJsonAsync(context, 200, buffer.WrittenSpan.ToArray()).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, string? namespaceName, string name, string? subresource)
    {
        var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var accepted = type.Strategy.SupportsStrategicMerge
            ? new[] { JsonPatchType, MergePatchType, ApplyPatchType, StrategicPatchType }
            : [JsonPatchType, MergePatchType, ApplyPatchType];
        if (!accepted.Contains(contentType) && contentType != "application/apply-patch+cbor")
        {
            throw ApiErrors.UnsupportedMediaType(accepted);
        }

        var options = WriteOptionsOf(context);
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
        await WriteObjectAsync(context, type, created ? 201 : 200, result).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ResourceType type, string? namespaceName, string name)
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

        await WriteObjectAsync(context, type, 200, result).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? namespaceName)
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
                items.Add(Render(type, objects.Delete(type, item.Namespace, item.Name, request).Result).DeepClone());
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

    private static WriteOptions WriteOptionsOf(HttpContext context)
    {
        var query = context.Request.Query;
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            var agent = context.Request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }

        var validation = query["fieldValidation"].ToString();
        return new WriteOptions
        {
            DryRun = query["dryRun"].ToString() == "All",
            FieldManager = manager,
            FieldValidation = validation.Length == 0 ? "Warn" : validation,
        };
    }

    private async Task WriteObjectAsync(HttpContext context, ResourceType type, int code, StoredObject obj)
    {
        if (TableRequest.Wanted(context.Request))
        {
            await HttpIo.WriteJsonAsync(context, code, TableWriter.Build(type, [Render(type, obj)], null, null, TableRequest.IncludeObject(context.Request), withHeaders: true, time)).ConfigureAwait(false);
            return;
        }

        await HttpIo.WriteJsonAsync(context, code, RenderBytes(type, obj)).ConfigureAwait(false);
    }

    /// <summary>The object as seen through <paramref name="type"/>'s API version (versions of one CRD share storage unconverted).</summary>
    public static JsonObject Render(ResourceType type, StoredObject obj)
    {
        var tree = obj.Parse();
        tree["apiVersion"] = type.ApiVersion;
        return tree;
    }

    public static byte[] RenderBytes(ResourceType type, StoredObject obj) =>
        obj.ApiVersion == type.ApiVersion ? obj.Json : JsonText.Serialize(Render(type, obj));

    private static int FirstAfter(IReadOnlyList<StoredObject> items, string key)
    {
        int low = 0, high = items.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(items[middle].Key, key) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text) => buffer.Write(Encoding.UTF8.GetBytes(text));

    private static bool IsTrue(StringValues value) => value.ToString() is "true" or "1";
}
