using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Discovery;

/// <summary>
/// The schemas the API server publishes for a custom resource (apiextensions-apiserver's openapi builder): the CRD's
/// structural schema with apiVersion, kind and metadata as every kind has them and its group-version-kind, the list
/// kind, and the meta/v1 types both refer to.
/// </summary>
internal static class OpenApiSchemas
{
    public const string ComponentsPrefix = "#/components/schemas/";
    public const string MetaV1 = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string ObjectMeta = MetaV1 + "ObjectMeta";
    public const string ListMeta = MetaV1 + "ListMeta";
    public const string Status = MetaV1 + "Status";
    public const string Patch = MetaV1 + "Patch";
    public const string DeleteOptions = MetaV1 + "DeleteOptions";
    private const string Conventions = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md";
    private static readonly Lazy<JsonObject> MetaSchemas = new(LoadMetaSchemas);

    /// <summary>The meta/v1 types a custom resource's documents refer to, keyed by definition name.</summary>
    public static JsonObject MetaTypes() => (JsonObject)MetaSchemas.Value.DeepClone();

    /// <summary>The REST-friendly definition name, group reversed: io.sshtunnels.v1alpha1.SshTunnelConnection.</summary>
    public static string DefinitionName(string group, string version, string kind) =>
        string.Join('.', group.Split('.').Reverse()) + "." + version + "." + kind;

    public static JsonObject Ref(string definition) => new() { ["$ref"] = ComponentsPrefix + definition };

    public static JsonObject GroupVersionKind(string group, string version, string kind) =>
        new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    /// <summary>The kind's published schema; without a schema only <c>type: object</c>, as the real server (so nothing is refused client-side).</summary>
    public static JsonObject Kind(ResourceType type)
    {
        JsonObject schema;
        if (type.Custom?.OpenApiSchema is { } source)
        {
            schema = (JsonObject)source.DeepClone();
            if (schema["properties"] is not JsonObject properties)
            {
                properties = [];
                schema["properties"] = properties;
            }

            AddTypeMeta(properties);
            properties["metadata"] = Described(ObjectMeta, "Standard object's metadata. More info: " + Conventions + "#metadata");
        }
        else
        {
            schema = new JsonObject { ["type"] = "object" };
        }

        schema["x-kubernetes-group-version-kind"] = new JsonArray(GroupVersionKind(type.Group, type.Version, type.Kind));
        return schema;
    }

    public static JsonObject List(ResourceType type)
    {
        var properties = new JsonObject();
        AddTypeMeta(properties);
        properties["items"] = new JsonObject
        {
            ["description"] = "List of " + type.Plural + ". More info: " + Conventions,
            ["type"] = "array",
            ["items"] = Ref(DefinitionName(type.Group, type.Version, type.Kind)),
        };
        properties["metadata"] = Described(ListMeta, "Standard list metadata. More info: " + Conventions + "#types-kinds");
        return new JsonObject
        {
            ["description"] = type.ListKind + " is a list of " + type.Kind,
            ["type"] = "object",
            ["required"] = new JsonArray("items"),
            ["properties"] = properties,
            ["x-kubernetes-group-version-kind"] = new JsonArray(GroupVersionKind(type.Group, type.Version, type.ListKind)),
        };
    }

    private static void AddTypeMeta(JsonObject properties)
    {
        properties["apiVersion"] = new JsonObject
        {
            ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: " + Conventions + "#resources",
            ["type"] = "string",
        };
        properties["kind"] = new JsonObject
        {
            ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: " + Conventions + "#types-kinds",
            ["type"] = "string",
        };
    }

    /// <summary>A reference with a description beside it, wrapped in allOf as OpenAPI 3.0 ignores siblings of $ref.</summary>
    private static JsonObject Described(string definition, string description) => new()
    {
        ["description"] = description,
        ["default"] = new JsonObject(),
        ["allOf"] = new JsonArray(Ref(definition)),
    };

    private static JsonObject LoadMetaSchemas()
    {
        using var stream = typeof(OpenApiSchemas).Assembly.GetManifestResourceStream("Kube.Emulator.Discovery.MetaV1Schemas.json")
            ?? throw new InvalidOperationException("MetaV1Schemas.json is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return JsonText.Parse(memory.ToArray())!.AsObject();
    }
}
