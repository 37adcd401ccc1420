using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Discovery;

/// <summary>
/// /openapi/v3: the index of group-versions (each with a serverRelativeURL carrying the document's hash) and one
/// document per group-version of custom resources, with the paths (operations tagged with the group-version-kind,
/// the patch types each accepts, the query parameters such as fieldValidation) and the component schemas that
/// kubectl explain, kubectl apply and kubectl's field validation read. Built-in kinds are not published.
/// </summary>
internal sealed class OpenApiV3Documents(ResourceRegistry registry)
{
    private static readonly string[] ListParameters = ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"];
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];
    private static readonly string[] DeleteParameters = ["dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy"];
    private static readonly string[] PatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
    private static readonly string[] BodyTypes = ["application/json", "application/yaml"];

    /// <summary>Group-versions that serve custom resources, as index keys: apis/GROUP/VERSION.</summary>
    public IReadOnlyList<(string Key, string Group, string Version)> GroupVersions() =>
        [.. registry.All.Where(type => type.CrdName is not null)
            .Select(type => ("apis/" + type.Group + "/" + type.Version, type.Group, type.Version))
            .Distinct()
            .OrderBy(entry => entry.Item1, StringComparer.Ordinal)];

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (key, group, version) in GroupVersions())
        {
            paths[key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + key + "?hash=" + Hash(Serialized(group, version)) };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The serialized document of one group-version, or null when it serves no custom resource.</summary>
    public byte[]? Serialized(string group, string version)
    {
        var types = registry.InGroupVersion(group, version).Where(type => type.CrdName is not null).OrderBy(type => type.Plural, StringComparer.Ordinal).ToList();
        return types.Count == 0 ? null : JsonText.Serialize(Document(types));
    }

    public static string Hash(byte[]? document) => Convert.ToHexString(SHA512.HashData(document ?? []));

    private static JsonObject Document(IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        var schemas = OpenApiSchemas.MetaTypes();
        foreach (var type in types)
        {
            schemas[OpenApiSchemas.DefinitionName(type.Group, type.Version, type.Kind)] = OpenApiSchemas.Kind(type);
            schemas[OpenApiSchemas.DefinitionName(type.Group, type.Version, type.ListKind)] = OpenApiSchemas.List(type);
            AddPaths(paths, type);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static void AddPaths(JsonObject paths, ResourceType type)
    {
        var prefix = "/apis/" + type.Group + "/" + type.Version + "/";
        var kindRef = OpenApiSchemas.DefinitionName(type.Group, type.Version, type.Kind);
        var listRef = OpenApiSchemas.DefinitionName(type.Group, type.Version, type.ListKind);
        var collection = prefix + (type.Namespaced ? "namespaces/{namespace}/" : string.Empty) + type.Plural;
        var scope = type.Namespaced ? "Namespaced" : string.Empty;
        if (type.Namespaced)
        {
            paths[prefix + type.Plural] = new JsonObject
            {
                ["get"] = Operation(type, "list", "list" + type.Kind + "ForAllNamespaces", "list objects of kind " + type.Kind, listRef, ListParameters),
                ["parameters"] = PathParameters(type, withNamespace: false, withName: false),
            };
        }

        paths[collection] = new JsonObject
        {
            ["get"] = Operation(type, "list", "list" + scope + type.Kind, "list objects of kind " + type.Kind, listRef, ListParameters),
            ["post"] = WithBody(Operation(type, "post", "create" + scope + type.Kind, "create " + Article(type.Kind) + type.Kind, kindRef, WriteParameters), kindRef, BodyTypes),
            ["delete"] = Operation(type, "deletecollection", "deletecollection" + scope + type.Kind, "delete collection of " + type.Kind, OpenApiSchemas.Status, [.. ListParameters.Where(name => name != "watch" && name != "allowWatchBookmarks"), .. DeleteParameters]),
            ["parameters"] = PathParameters(type, type.Namespaced, withName: false),
        };
        paths[collection + "/{name}"] = new JsonObject
        {
            ["get"] = Operation(type, "get", "read" + scope + type.Kind, "read the specified " + type.Kind, kindRef, ["resourceVersion"]),
            ["put"] = WithBody(Operation(type, "put", "replace" + scope + type.Kind, "replace the specified " + type.Kind, kindRef, WriteParameters), kindRef, BodyTypes),
            ["delete"] = WithBody(Operation(type, "delete", "delete" + scope + type.Kind, "delete " + Article(type.Kind) + type.Kind, OpenApiSchemas.Status, DeleteParameters), OpenApiSchemas.DeleteOptions, BodyTypes),
            ["patch"] = WithBody(Operation(type, "patch", "patch" + scope + type.Kind, "partially update the specified " + type.Kind, kindRef, [.. WriteParameters, "force"]), OpenApiSchemas.Patch, PatchTypes),
            ["parameters"] = PathParameters(type, type.Namespaced, withName: true),
        };
        if (type.HasStatus)
        {
            paths[collection + "/{name}/status"] = new JsonObject
            {
                ["get"] = Operation(type, "get", "read" + scope + type.Kind + "Status", "read status of the specified " + type.Kind, kindRef, ["resourceVersion"]),
                ["put"] = WithBody(Operation(type, "put", "replace" + scope + type.Kind + "Status", "replace status of the specified " + type.Kind, kindRef, WriteParameters), kindRef, BodyTypes),
                ["patch"] = WithBody(Operation(type, "patch", "patch" + scope + type.Kind + "Status", "partially update status of the specified " + type.Kind, kindRef, [.. WriteParameters, "force"]), OpenApiSchemas.Patch, PatchTypes),
                ["parameters"] = PathParameters(type, type.Namespaced, withName: true),
            };
        }
    }

    private static JsonObject Operation(ResourceType type, string action, string operation, string description, string responseDefinition, IEnumerable<string> query)
    {
        var groupVersion = GroupName(type.Group) + Capitalized(type.Version);
        var content = new JsonObject();
        foreach (var mediaType in BodyTypes)
        {
            content[mediaType] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(responseDefinition) };
        }

        var responses = new JsonObject
        {
            ["200"] = new JsonObject { ["description"] = "OK", ["content"] = content },
            ["401"] = new JsonObject { ["description"] = "Unauthorized" },
        };
        if (action is "post" or "put")
        {
            responses["201"] = new JsonObject { ["description"] = "Created", ["content"] = content.DeepClone() };
        }

        if (action is "post" or "delete")
        {
            responses["202"] = new JsonObject { ["description"] = "Accepted", ["content"] = content.DeepClone() };
        }

        var groupName = GroupName(type.Group);
        var tag = char.ToLowerInvariant(groupName[0]) + groupName[1..] + "_" + type.Version;
        var prefix = operation.StartsWith("deletecollection", StringComparison.Ordinal) ? "deletecollection" : new string([.. operation.TakeWhile(char.IsLower)]);
        return new JsonObject
        {
            ["tags"] = new JsonArray(tag),
            ["description"] = description,
            ["operationId"] = prefix + groupVersion + operation[prefix.Length..],
            ["parameters"] = new JsonArray([.. query.Select(name => (JsonNode?)QueryParameter(name))]),
            ["responses"] = responses,
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = OpenApiSchemas.GroupVersionKind(type.Group, type.Version, type.Kind),
        };
    }

    private static JsonObject WithBody(JsonObject operation, string definition, IEnumerable<string> mediaTypes)
    {
        var content = new JsonObject();
        foreach (var mediaType in mediaTypes)
        {
            content[mediaType] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(definition) };
        }

        operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = operation["x-kubernetes-action"]!.GetValue<string>() != "delete" };
        return operation;
    }

    private static JsonArray PathParameters(ResourceType type, bool withNamespace, bool withName)
    {
        var parameters = new JsonArray();
        if (withName)
        {
            parameters.Add(Parameter("name", "path", "name of the " + type.Kind, "string", required: true));
        }

        if (withNamespace)
        {
            parameters.Add(Parameter("namespace", "path", "object name and auth scope, such as for teams and projects", "string", required: true));
        }

        parameters.Add(QueryParameter("pretty"));
        return parameters;
    }

    private static JsonObject QueryParameter(string name) => name switch
    {
        "allowWatchBookmarks" => Parameter(name, "query", "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag.", "boolean"),
        "continue" => Parameter(name, "query", "The continue option should be set when retrieving more results from the server, with the value of the previous list's continue token.", "string"),
        "fieldSelector" => Parameter(name, "query", "A selector to restrict the list of returned objects by their fields. Defaults to everything.", "string"),
        "labelSelector" => Parameter(name, "query", "A selector to restrict the list of returned objects by their labels. Defaults to everything.", "string"),
        "limit" => Parameter(name, "query", "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the continue field on the list metadata.", "integer"),
        "resourceVersion" => Parameter(name, "query", "resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset.", "string"),
        "resourceVersionMatch" => Parameter(name, "query", "resourceVersionMatch determines how resourceVersion is applied to list calls.", "string"),
        "sendInitialEvents" => Parameter(name, "query", "sendInitialEvents=true may be set together with watch=true to begin the watch stream with synthetic events for the current state of all objects.", "boolean"),
        "timeoutSeconds" => Parameter(name, "query", "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.", "integer"),
        "watch" => Parameter(name, "query", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
        "dryRun" => Parameter(name, "query", "When present, indicates that modifications should not be persisted. The only valid value is All.", "string"),
        "fieldManager" => Parameter(name, "query", "fieldManager is a name associated with the actor or entity that is making these changes.", "string"),
        "fieldValidation" => Parameter(name, "query", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.", "string"),
        "force" => Parameter(name, "query", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Must be unset for non-apply patch requests.", "boolean"),
        "gracePeriodSeconds" => Parameter(name, "query", "The duration in seconds before the object should be deleted.", "integer"),
        "orphanDependents" => Parameter(name, "query", "Deprecated: please use the PropagationPolicy.", "boolean"),
        "propagationPolicy" => Parameter(name, "query", "Whether and how garbage collection will be performed: Orphan, Background or Foreground.", "string"),
        "pretty" => Parameter(name, "query", "If 'true', then the output is pretty printed.", "string"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown parameter"),
    };

    private static JsonObject Parameter(string name, string location, string description, string type, bool required = false)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = location,
            ["description"] = description,
            ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
        };
        if (required)
        {
            parameter["required"] = true;
        }

        return parameter;
    }

    /// <summary>e.g. SshtunnelsIo, as operation ids and tags spell a group.</summary>
    private static string GroupName(string group) => string.Concat(group.Split('.', '-').Select(Capitalized));

    private static string Capitalized(string word) =>
        word.Length == 0 ? word : char.ToUpper(word[0], CultureInfo.InvariantCulture) + word[1..];

    private static string Article(string kind) => "aeiouAEIOU".Contains(kind[0], StringComparison.Ordinal) ? "an " : "a ";
}
