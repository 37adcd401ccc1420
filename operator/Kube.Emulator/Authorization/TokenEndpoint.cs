using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Authorization;

/// <summary>
/// The serviceaccounts/token subresource (<c>kubectl create token NAME</c>): a TokenRequest answered with a bearer
/// token for the ServiceAccount, which authenticates as it while it exists.
/// </summary>
internal sealed class TokenEndpoint(Authenticator authenticator, TimeProvider time)
{
    private const long DefaultExpirationSeconds = 3600;

    public static bool Serves(ResourceType type, string? subresource) =>
        type.Group.Length == 0 && type.Plural == "serviceaccounts" && subresource == "token";

    public async Task CreateAsync(HttpContext context, ResourceType type, string namespaceName, string name)
    {
        if (type.Store.Get(type.KeyOf(namespaceName, name)) is null)
        {
            throw ApiErrors.NotFound(type, name);
        }

        var body = HttpIo.ParseObject(await HttpIo.ReadBodyAsync(context).ConfigureAwait(false), context.Request.ContentType);
        var spec = body["spec"] as JsonObject ?? [];
        var seconds = spec.GetInt64("expirationSeconds") ?? DefaultExpirationSeconds;
        if (seconds < 600)
        {
            var problem = "spec.expirationSeconds: Invalid value: " + seconds.ToString(CultureInfo.InvariantCulture) + ": may not specify a duration less than 10 minutes";
            throw new ApiException(422, "Invalid", "TokenRequest.authentication.k8s.io \"" + name + "\" is invalid: " + problem, new JsonObject
            {
                ["name"] = name,
                ["group"] = "authentication.k8s.io",
                ["kind"] = "TokenRequest",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = problem["spec.expirationSeconds: ".Length..], ["field"] = "spec.expirationSeconds" }),
            });
        }

        await HttpIo.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = namespaceName, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = spec["audiences"]?.DeepClone() ?? new JsonArray("https://kubernetes.default.svc.cluster.local"),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject
            {
                ["token"] = authenticator.Issue(namespaceName, name),
                ["expirationTimestamp"] = Timestamps.Format(time.GetUtcNow().AddSeconds(seconds)),
            },
        }).ConfigureAwait(false);
    }
}
