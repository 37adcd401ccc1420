using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;
using Kube.Emulator.Storage;

namespace Kube.Emulator.Strategies;

/// <summary>
/// CustomResourceDefinitions: validated, given Established and NamesAccepted status at once, and turned into served
/// resource types on commit.
/// </summary>
internal sealed class CrdStrategy(TimeProvider time) : ObjectStrategy
{
    /// <summary>Holds a deleted CRD until its custom resources are gone, as on the real server.</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private static readonly CustomResourceStrategy CustomResources = new();

    public ResourceRegistry? Registry { get; set; }

    /// <summary>Told about each custom resource removed with its CRD, so that their dependents are collected too.</summary>
    public Lifecycle.GarbageCollector? Collector { get; set; }

    public override void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        Default(obj);
        var metadata = obj.Meta();
        if (!metadata.GetStrings("finalizers").Contains(CleanupFinalizer))
        {
            var finalizers = metadata["finalizers"] as JsonArray ?? [];
            finalizers.Add(CleanupFinalizer);
            metadata["finalizers"] = finalizers;
        }

        var status = new JsonObject();
        obj["status"] = status;
        var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        status["acceptedNames"] = AcceptedNames(obj);
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
        status["storedVersions"] = new JsonArray(StorageVersions(obj).Select(version => (JsonNode?)version).ToArray());
    }

    public override void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        Default(obj);
        if (obj["status"] is JsonObject status)
        {
            status["acceptedNames"] = AcceptedNames(obj);
            var stored = status.GetStrings("storedVersions").Union(StorageVersions(obj)).ToArray();
            status["storedVersions"] = new JsonArray(stored.Select(version => (JsonNode?)version).ToArray());
        }
    }

    public override IEnumerable<FieldProblem> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var spec = obj.GetObject("spec") ?? [];
        var names = spec.GetObject("names") ?? [];
        var group = spec.GetString("group") ?? string.Empty;
        var plural = names.GetString("plural") ?? string.Empty;
        var name = obj.NameOf() ?? string.Empty;
        if (group.Length == 0)
        {
            yield return FieldProblem.Required("spec.group", string.Empty);
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            yield return FieldProblem.Invalid("spec.group", FieldProblem.Quote(group), "should be a domain with at least one dot");
        }

        if (plural.Length == 0)
        {
            yield return FieldProblem.Required("spec.names.plural", string.Empty);
        }

        if ((names.GetString("kind") ?? string.Empty).Length == 0)
        {
            yield return FieldProblem.Required("spec.names.kind", string.Empty);
        }

        if (name != plural + "." + group)
        {
            yield return FieldProblem.Invalid("metadata.name", FieldProblem.Quote(name), "must be spec.names.plural+\".\"+spec.group");
        }

        var scope = spec.GetString("scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            yield return new FieldProblem("spec.scope", "FieldValueNotSupported", "Unsupported value: " + FieldProblem.Quote(scope ?? string.Empty) + ": supported values: \"Cluster\", \"Namespaced\"");
        }

        var versions = spec.GetArray("versions")?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            yield return FieldProblem.Invalid("spec.versions", "null", "must have exactly one version marked as storage version");
        }
        else if (versions.Count(version => JsonTree.IsTrue(version["storage"])) != 1)
        {
            yield return FieldProblem.Invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}", "must have exactly one version marked as storage version");
        }

        for (var index = 0; index < versions.Count; index++)
        {
            var field = "spec.versions[" + index.ToString(CultureInfo.InvariantCulture) + "].schema.openAPIV3Schema";
            if (versions[index]["schema"]?["openAPIV3Schema"] is not JsonObject schema)
            {
                yield return FieldProblem.Required(field, "schemas are required");
            }
            else if (Compile(schema) is { } failure)
            {
                yield return FieldProblem.Invalid(field, "\"object\"", failure);
            }

            if (CompileColumns(versions[index].GetArray("additionalPrinterColumns")) is { } columnFailure)
            {
                yield return FieldProblem.Invalid("spec.versions[" + index.ToString(CultureInfo.InvariantCulture) + "].additionalPrinterColumns", "\"array\"", columnFailure);
            }
        }

        if (old is not null && old["spec"]?["scope"]?.ToString() != scope)
        {
            yield return FieldProblem.Immutable("spec.scope", FieldProblem.Quote(scope ?? string.Empty));
        }
    }

    public override void Committed(ResourceType type, StoredObject? after, StoredObject? before)
    {
        var registry = Registry!;
        if (after is null)
        {
            var gone = before!.Parse();
            registry.ReplaceCrd(gone.NameOf()!, []);
            var spec = gone.GetObject("spec")!;
            var store = registry.StoreFor(spec.GetString("group")!, spec.GetObject("names")!.GetString("plural")!);
            foreach (var item in store.List(null).Items)
            {
                if (store.TryCommit(item.Key, item, null) is not null)
                {
                    Collector?.Deleted(type, item);
                }
            }

            store.CloseWatches();
            return;
        }

        registry.ReplaceCrd(after.Name, TypesOf(registry, after.Parse()));
    }

    private static List<ResourceType> TypesOf(ResourceRegistry registry, JsonObject crd)
    {
        var spec = crd.GetObject("spec")!;
        var names = spec.GetObject("names")!;
        var group = spec.GetString("group")!;
        var plural = names.GetString("plural")!;
        var kind = names.GetString("kind")!;
        var types = new List<ResourceType>();
        foreach (var version in spec.GetArray("versions")!.OfType<JsonObject>())
        {
            if (!JsonTree.IsTrue(version["served"]))
            {
                continue;
            }

            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject;
            types.Add(new ResourceType
            {
                Group = group,
                Version = version.GetString("name")!,
                Kind = kind,
                Plural = plural,
                Singular = names.GetString("singular") ?? kind.ToLowerInvariant(),
                Namespaced = spec.GetString("scope") == "Namespaced",
                ShortNames = names.GetStrings("shortNames"),
                Categories = names.GetStrings("categories"),
                HasStatus = version["subresources"]?["status"] is not null,
                HasScale = version["subresources"]?["scale"] is not null,
                Strategy = CustomResources,
                Store = registry.StoreFor(group, plural),
                CrdName = crd.NameOf(),
                Custom = new CustomResourceVersion
                {
                    Schema = schema is null ? null : CrdSchema.Compile(schema),
                    OpenApiSchema = (JsonObject?)schema?.DeepClone(),
                    Columns = PrinterColumnSet.Compile(version.GetArray("additionalPrinterColumns")),
                    Scale = ScalePaths.Of(version["subresources"]?["scale"]),
                },
            });
        }

        return types;
    }

    private static string? Compile(JsonObject schema)
    {
        try
        {
            CrdSchema.Compile(schema);
            return null;
        }
        catch (CrdSchemaException failure)
        {
            return failure.Message;
        }
    }

    private static string? CompileColumns(JsonArray? columns)
    {
        try
        {
            PrinterColumnSet.Compile(columns);
            return null;
        }
        catch (CrdSchemaException failure)
        {
            return failure.Message;
        }
    }

    private static void Default(JsonObject obj)
    {
        var spec = obj.GetOrAddObject("spec");
        if (spec["conversion"] is null)
        {
            spec["conversion"] = new JsonObject { ["strategy"] = "None" };
        }

        var names = spec.GetOrAddObject("names");
        if (names.GetString("singular") is null && names.GetString("kind") is { } kind)
        {
            names["singular"] = kind.ToLowerInvariant();
        }

        if (names.GetString("listKind") is null && names.GetString("kind") is { } listKind)
        {
            names["listKind"] = listKind + "List";
        }
    }

    private static JsonObject AcceptedNames(JsonObject obj) =>
        (JsonObject)(obj["spec"]?["names"]?.DeepClone() ?? new JsonObject());

    private static IEnumerable<string> StorageVersions(JsonObject obj) =>
        obj["spec"]?["versions"] is JsonArray versions
            ? versions.OfType<JsonObject>().Where(version => JsonTree.IsTrue(version["storage"])).Select(version => version.GetString("name") ?? string.Empty)
            : [];

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
