using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Authorization;
using Kube.Emulator.Discovery;
using Kube.Emulator.Tables;
using Kube.Emulator.Watch;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kube.Emulator.Api;

/// <summary>The HTTP front of the emulator: request info, authentication and RBAC, injected faults, discovery, and the resource verbs.</summary>
internal sealed class ApiServer(ResourceRegistry registry, ObjectService objects, EmulatorControl control, DiscoveryEndpoints discovery, WatchStreamer watches, TimeProvider time, ControlEndpoints? controlEndpoints, bool enforceOwnerReferences, CancellationToken stopping)
{
    /// <summary>API Priority and Fairness names the flow schema and priority level of every request; one of each here.</summary>
    private static readonly string FlowSchemaUid = Guid.NewGuid().ToString();
    private static readonly string PriorityLevelUid = Guid.NewGuid().ToString();
    private readonly ListEndpoint lists = new(time);
    private readonly ScaleEndpoint scales = new(objects);
    private readonly PatchEndpoint patches = new(objects, time);
    private readonly DeleteEndpoint deletes = new(registry, objects, time);
    private readonly RbacAuthorizer rbac = new(registry);
    private readonly TokenEndpoint tokens = new(control.Authenticator, time);
    private readonly AccessReviewEndpoint reviews = new(registry);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (controlEndpoints is not null && path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            await ServeControlAsync(context, controlEndpoints, path).ConfigureAwait(false);
            return;
        }

        var apiPath = ApiPath.Parse(path);
        var method = request.Method;
        var info = apiPath.IsResource
            ? new RequestInfo(method, apiPath.Verb(method, IsTrue(request.Query["watch"])), apiPath.Group, apiPath.Version, apiPath.Resource, apiPath.Subresource, apiPath.Namespace, apiPath.Name, path)
            : new RequestInfo(method, method.ToLowerInvariant(), null, string.Empty, string.Empty, null, null, null, path);
        var user = control.Authenticator.Authenticate(request, out var unauthenticated);
        info = info with { User = user.Name };
        control.Observe(info);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, private";
        headers["Audit-Id"] = Guid.NewGuid().ToString();
        headers["X-Kubernetes-Pf-Flowschema-Uid"] = FlowSchemaUid;
        headers["X-Kubernetes-Pf-Prioritylevel-Uid"] = PriorityLevelUid;
        try
        {
            if (unauthenticated is not null)
            {
                throw unauthenticated;
            }

            if (rbac.Refusal(user, info) is { } forbidden)
            {
                control.ObserveForbidden(info);
                throw forbidden;
            }

            if (enforceOwnerReferences && !user.IsMaster && info.IsWrite)
            {
                var observed = info;
                context.Features.Set(new OwnerReferenceAdmission(registry, rbac, user, info, () => control.ObserveForbidden(observed)));
            }

            if (control.TakeFault(info, out var hangsReleased) is { } fault)
            {
                if (fault is EmulatorFault.CommitThenFail lost)
                {
                    await CommitThenFailAsync(context, apiPath, info, user, lost).ConfigureAwait(false);
                    return;
                }

                if (!await FaultAsync(context, info, fault, hangsReleased).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (!apiPath.IsResource)
            {
                await discovery.ServeAsync(context, path).ConfigureAwait(false);
                return;
            }

            await ServeResourceAsync(context, apiPath, info, user).ConfigureAwait(false);
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

    private static async Task ServeControlAsync(HttpContext context, ControlEndpoints endpoints, string path)
    {
        context.Response.Headers.CacheControl = "no-cache, private";
        try
        {
            await endpoints.ServeAsync(context, path).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            await HttpIo.WriteStatusAsync(context, error).ConfigureAwait(false);
        }
    }

    /// <summary>Serves the write with its reply held back; once it is stored, the reply is replaced by a 500 or a dropped connection.</summary>
    private async Task CommitThenFailAsync(HttpContext context, ApiPath apiPath, RequestInfo info, UserInfo user, EmulatorFault.CommitThenFail lost)
    {
        var response = context.Response;
        var reply = response.Body;
        using var held = new MemoryStream();
        response.Body = held;
        try
        {
            await ServeResourceAsync(context, apiPath, info, user).ConfigureAwait(false);
        }
        finally
        {
            response.Body = reply;
        }

        if (response.StatusCode is < 200 or >= 300)
        {
            held.Position = 0;
            await held.CopyToAsync(reply, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (lost.ResetConnection)
        {
            context.Abort();
            return;
        }

        response.ContentLength = null;
        response.Headers.Remove("Warning");
        throw ApiErrors.InternalError("injected fault after the write was stored");
    }

    /// <summary>Answers with the fault; true when the request is to be served after all (a hang released by ClearFaults).</summary>
    private async Task<bool> FaultAsync(HttpContext context, RequestInfo info, EmulatorFault fault, Task hangsReleased)
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
                        await hangsReleased.WaitAsync(hang.Token).ConfigureAwait(false);
                        return true;
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up, or the emulator stops: either way the connection just ends.
                        context.Abort();
                    }

                    return false;
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

    private async Task ServeResourceAsync(HttpContext context, ApiPath apiPath, RequestInfo info, UserInfo user)
    {
        var type = registry.Find(apiPath.Group ?? string.Empty, apiPath.Version, apiPath.Resource) ?? throw ApiErrors.PageNotFound();
        var isNamespaceObject = type.Group.Length == 0 && type.Plural == "namespaces";
        var namespaceName = isNamespaceObject ? null : apiPath.Namespace;
        if (apiPath.Subresource is { } subresource && !(subresource == "status" && type.HasStatus) && !(subresource == "scale" && type.HasScale) && !TokenEndpoint.Serves(type, subresource))
        {
            throw ApiErrors.ResourceNotFound();
        }

        if ((!type.Namespaced && namespaceName is not null) || (type.Namespaced && namespaceName is null && (apiPath.Name is not null || info.Verb is "create" or "deletecollection")))
        {
            throw ApiErrors.ResourceNotFound();
        }

        if (AccessReviewEndpoint.Serves(type))
        {
            await (info.Verb == "create" && apiPath.Name is null ? reviews.CreateAsync(context, type, user) : throw ApiErrors.MethodNotAllowed()).ConfigureAwait(false);
            return;
        }

        if (TokenEndpoint.Serves(type, apiPath.Subresource) && apiPath.Name is { } account && namespaceName is not null)
        {
            await (info.Verb == "create" ? tokens.CreateAsync(context, type, namespaceName, account) : throw ApiErrors.MethodNotAllowed()).ConfigureAwait(false);
            return;
        }

        if (apiPath.Subresource == "scale" && apiPath.Name is { } scaled && namespaceName is not null)
        {
            await scales.ServeAsync(context, type, namespaceName, scaled, info.Verb).ConfigureAwait(false);
            return;
        }

        switch (info.Verb)
        {
            case "get":
                await GetAsync(context, type, namespaceName, apiPath.Name!).ConfigureAwait(false);
                break;
            case "list":
                await lists.ListAsync(context, type, namespaceName).ConfigureAwait(false);
                break;
            case "watch":
                await watches.ServeAsync(context, type, namespaceName, apiPath.WatchPrefix ? apiPath.Name : null).ConfigureAwait(false);
                break;
            case "create" when apiPath.Name is null:
                {
                    var options = WriteOptions.From(context);
                    var body = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
                    var created = objects.Create(type, namespaceName, body, options);
                    HttpIo.AddWarnings(context, options.Warnings);
                    await ObjectResponses.WriteAsync(context, type, 201, created, time).ConfigureAwait(false);
                    break;
                }

            case "update":
                {
                    var options = WriteOptions.From(context);
                    var body = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
                    var updated = objects.Replace(type, namespaceName, apiPath.Name!, apiPath.Subresource, body, options);
                    HttpIo.AddWarnings(context, options.Warnings);
                    await ObjectResponses.WriteAsync(context, type, 200, updated, time).ConfigureAwait(false);
                    break;
                }

            case "patch":
                await patches.PatchAsync(context, type, namespaceName, apiPath.Name!, apiPath.Subresource).ConfigureAwait(false);
                break;
            case "delete":
                await deletes.DeleteAsync(context, type, namespaceName, apiPath.Name!).ConfigureAwait(false);
                break;
            case "deletecollection":
                await deletes.DeleteCollectionAsync(context, type, namespaceName).ConfigureAwait(false);
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
            var table = TableWriter.Build(type, [ObjectResponses.Render(type, found)], null, null, TableRequest.IncludeObject(context.Request), withHeaders: true, time);
            await HttpIo.WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await ObjectResponses.WriteAsync(context, type, 200, found, time).ConfigureAwait(false);
    }

    private static bool IsTrue(StringValues value) => value.ToString() is "true" or "1";
}
