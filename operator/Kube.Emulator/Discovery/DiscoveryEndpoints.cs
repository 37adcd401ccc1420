using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Discovery;

/// <summary>Non-resource paths: /version, legacy and aggregated discovery, /openapi/v2 and /openapi/v3, health checks.</summary>
internal sealed class DiscoveryEndpoints(ResourceRegistry registry, Func<string> serverAddress)
{
    private readonly OpenApiV3Documents openApiV3 = new(registry);
    public const string GitVersion = "v1.32.0";
    private const string AggregatedType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    public async Task ServeAsync(HttpContext context, string path)
    {
        var trimmed = path.TrimEnd('/');
        var parts = trimmed.Trim('/').Split('/');
        switch (trimmed)
        {
            case "/version":
                await HttpIo.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "32",
                    ["emulationMajor"] = "1",
                    ["emulationMinor"] = "32",
                    ["minCompatibilityMajor"] = "1",
                    ["minCompatibilityMinor"] = "31",
                    ["gitVersion"] = GitVersion,
                    ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2024-12-11T17:59:15Z",
                    ["goVersion"] = "go1.23.3",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                }).ConfigureAwait(false);
                return;
            case "/healthz" or "/livez" or "/readyz":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                return;
            case "/openapi/v2" when context.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal):
                {
                    var document = GnosticV2Encoder.Document(OpenApiV2Document.Build(registry, GitVersion));
                    context.Response.ContentType = OpenApiV2Document.ContentType;
                    context.Response.ContentLength = document.Length;
                    await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
                    return;
                }

            case "/openapi/v2":
                await HttpIo.WriteJsonAsync(context, 200, OpenApiV2Document.Build(registry, GitVersion)).ConfigureAwait(false);
                return;
            case "/openapi/v3":
                await HttpIo.WriteJsonAsync(context, 200, openApiV3.Index()).ConfigureAwait(false);
                return;
            case "/api":
                if (WantsAggregated(context))
                {
                    await WriteAggregatedAsync(context, [string.Empty]).ConfigureAwait(false);
                    return;
                }

                await HttpIo.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress() }),
                }).ConfigureAwait(false);
                return;
            case "/apis":
                if (WantsAggregated(context))
                {
                    await WriteAggregatedAsync(context, [.. registry.Groups.Select(group => group.Group).Where(group => group.Length > 0)]).ConfigureAwait(false);
                    return;
                }

                await HttpIo.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = "APIGroupList",
                    ["apiVersion"] = "v1",
                    ["groups"] = new JsonArray([.. registry.Groups.Where(group => group.Group.Length > 0).Select(group => (JsonNode?)GroupOf(group.Group, group.Versions))]),
                }).ConfigureAwait(false);
                return;
        }

        if (parts.Length == 2 && parts[0] == "api" && parts[1] == "v1")
        {
            await WriteResourceListAsync(context, string.Empty, "v1").ConfigureAwait(false);
            return;
        }

        if (parts.Length == 2 && parts[0] == "apis")
        {
            var group = registry.Groups.FirstOrDefault(entry => entry.Group == parts[1]);
            if (group.Group is null)
            {
                throw ApiErrors.ResourceNotFound();
            }

            var body = GroupOf(group.Group, group.Versions);
            body["kind"] = "APIGroup";
            body["apiVersion"] = "v1";
            await HttpIo.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
            return;
        }

        if (parts.Length == 3 && parts[0] == "apis")
        {
            await WriteResourceListAsync(context, parts[1], parts[2]).ConfigureAwait(false);
            return;
        }

        if (parts.Length >= 2 && parts[0] == "openapi")
        {
            await WriteOpenApiV3Async(context, parts).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("404 page not found\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>/openapi/v3/apis/GROUP/VERSION, with an ETag; immutable when asked by the hash the index names, as the real server.</summary>
    private async Task WriteOpenApiV3Async(HttpContext context, string[] parts)
    {
        var document = parts.Length == 5 && parts[1] == "v3" && parts[2] == "apis" ? openApiV3.Serialized(parts[3], parts[4]) : null;
        if (document is null)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("404 page not found\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var hash = OpenApiV3Documents.Hash(document);
        context.Response.Headers.ETag = "\"" + hash + "\"";
        if (context.Request.Query["hash"].ToString() == hash)
        {
            context.Response.Headers.CacheControl = "public, immutable";
        }

        await HttpIo.WriteJsonAsync(context, 200, document).ConfigureAwait(false);
    }

    private static bool WantsAggregated(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal)
        && context.Request.Headers.Accept.ToString().Contains("v=v2;", StringComparison.Ordinal);

    private async Task WriteAggregatedAsync(HttpContext context, IReadOnlyList<string> groups)
    {
        var items = new JsonArray();
        foreach (var group in groups)
        {
            var versions = registry.Groups.FirstOrDefault(entry => entry.Group == group).Versions ?? [];
            var versionItems = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var type in registry.InGroupVersion(group, version))
                {
                    var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
                    var resource = new JsonObject
                    {
                        ["resource"] = type.Plural,
                        ["responseKind"] = kind,
                        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = type.SingularName,
                        ["verbs"] = Strings(type.Verbs),
                    };
                    if (type.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(type.ShortNames);
                    }

                    if (type.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(type.Categories);
                    }

                    var subresources = new JsonArray();
                    if (type.HasStatus)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "status",
                            ["responseKind"] = kind.DeepClone(),
                            ["verbs"] = Strings(StatusVerbs),
                        });
                    }

                    if (type.HasScale)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "scale",
                            ["responseKind"] = new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" },
                            ["verbs"] = Strings(StatusVerbs),
                        });
                    }

                    if (subresources.Count > 0)
                    {
                        resource["subresources"] = subresources;
                    }

                    resources.Add(resource);
                }

                versionItems.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versionItems,
            });
        }

        var body = Objects.JsonText.Serialize(new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        });
        context.Response.StatusCode = 200;
        context.Response.ContentType = AggregatedType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteResourceListAsync(HttpContext context, string group, string version)
    {
        var types = registry.InGroupVersion(group, version);
        if (types.Count == 0)
        {
            throw ApiErrors.ResourceNotFound();
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.SingularName,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(type.ShortNames);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = Strings(type.Categories);
            }

            resources.Add(resource);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = Strings(StatusVerbs),
                });
            }

            if (type.HasScale)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(StatusVerbs),
                });
            }
        }

        await HttpIo.WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        }).ConfigureAwait(false);
    }

    private static JsonObject GroupOf(string group, IReadOnlyList<string> versions)
    {
        JsonObject Version(string version) => new() { ["groupVersion"] = group + "/" + version, ["version"] = version };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(version => (JsonNode?)Version(version))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode?)value)]);
}
