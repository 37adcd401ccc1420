using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Authorization;

/// <summary>
/// SelfSubjectAccessReview (<c>kubectl auth can-i</c>, also with <c>--as</c>) and SubjectAccessReview: the RBAC
/// authorizer's answer for the requester, or for the user and groups the review names. Nothing is stored.
/// </summary>
internal sealed class AccessReviewEndpoint(ResourceRegistry registry)
{
    private const string Group = "authorization.k8s.io";
    private readonly RbacAuthorizer rbac = new(registry);

    public static bool Serves(ResourceType type) =>
        type.Group == Group && type.Plural is "selfsubjectaccessreviews" or "subjectaccessreviews";

    public async Task CreateAsync(HttpContext context, ResourceType type, UserInfo requester)
    {
        var review = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
        var spec = review["spec"] as JsonObject ?? [];
        var subject = type.Plural == "selfsubjectaccessreviews"
            ? requester
            : new UserInfo(
                spec.GetString("user") ?? throw ApiErrors.BadRequest("spec.user or spec.groups: Invalid value: at least one of user or group must be specified"),
                [.. (spec["groups"] as JsonArray ?? []).OfType<JsonValue>().Select(group => group.GetValue<string>())]);
        var asked = spec["resourceAttributes"] is JsonObject resource
            ? new RequestInfo(string.Empty, resource.GetString("verb") ?? string.Empty, resource.GetString("group") ?? string.Empty, resource.GetString("version") ?? string.Empty, resource.GetString("resource") ?? string.Empty, NullIfEmpty(resource.GetString("subresource")), NullIfEmpty(resource.GetString("namespace")), NullIfEmpty(resource.GetString("name")), string.Empty)
            : spec["nonResourceAttributes"] is JsonObject path
                ? new RequestInfo(string.Empty, path.GetString("verb") ?? string.Empty, null, string.Empty, string.Empty, null, null, null, path.GetString("path") ?? string.Empty)
                : throw new ApiException(422, "Invalid", type.Kind + "." + Group + " \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");

        review["apiVersion"] = Group + "/v1";
        review["kind"] = type.Kind;
        review.Meta()["creationTimestamp"] = null;
        review["status"] = new JsonObject { ["allowed"] = subject.IsMaster || rbac.Allows(subject, asked) };
        await HttpIo.WriteJsonAsync(context, 201, review).ConfigureAwait(false);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
