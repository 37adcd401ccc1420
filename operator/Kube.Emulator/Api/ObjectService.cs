using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Lifecycle;
using Kube.Emulator.Objects;
using Kube.Emulator.Patching;
using Kube.Emulator.Storage;
using Kube.Emulator.Strategies;

namespace Kube.Emulator.Api;

/// <summary>
/// The generic registry: create, update, patch and delete with the API server's semantics (resourceVersion
/// preconditions, generation, status subresource, finalizers, dry run), independent of HTTP.
/// </summary>
internal sealed class ObjectService(ResourceRegistry registry, TimeProvider time)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public GarbageCollector? Collector { get; set; }

    public ResourceRegistry Registry => registry;

    public StoredObject Create(ResourceType type, string? namespaceName, JsonObject obj, WriteOptions options, JsonObject? applied = null)
    {
        CheckTypeMeta(type, obj);
        var metadata = obj.Meta();
        if (type.Namespaced)
        {
            var bodyNamespace = metadata.GetString("namespace");
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != namespaceName)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = namespaceName;
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (!string.IsNullOrEmpty(metadata.GetString("resourceVersion")))
        {
            throw ApiErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }

        var generated = string.IsNullOrEmpty(metadata.GetString("name")) && !string.IsNullOrEmpty(metadata.GetString("generateName"));
        for (var attempt = 0; ; attempt++)
        {
            if (generated)
            {
                metadata["name"] = metadata.GetString("generateName") + RandomSuffix();
            }

            var name = metadata.GetString("name") ?? string.Empty;
            if (type.Namespaced)
            {
                RequireLiveNamespace(type, namespaceName!, name);
            }

            if (type.CrdName is { } crdName && registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!.Store.Get(crdName) is { IsTerminating: true })
            {
                throw new ApiException(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating", new JsonObject());
            }

            metadata.Remove("resourceVersion");
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Timestamps.Now(time);
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
            if (type.Strategy.TracksGeneration)
            {
                metadata["generation"] = 1;
            }
            else
            {
                metadata.Remove("generation");
            }

            if (type.HasStatus)
            {
                obj.Remove("status");
            }

            type.Strategy.PrepareForCreate(type, obj);
            CustomResourceSchemas.Admit(type, obj, options);
            var problems = new List<FieldProblem>();
            if (name.Length == 0)
            {
                problems.Add(FieldProblem.Required("metadata.name", "name or generateName is required"));
            }
            else
            {
                problems.AddRange(
                    type.Strategy.NameIsLabel ? ObjectNames.ValidateLabel("metadata.name", name)
                    : type.Strategy.NameIsPathSegment ? ObjectNames.ValidatePathSegment("metadata.name", name)
                    : ObjectNames.ValidateSubdomain("metadata.name", name));
            }

            problems.AddRange(ObjectNames.ValidateMetadata(metadata));
            problems.AddRange(type.Strategy.Validate(type, obj, null));
            problems.AddRange(CustomResourceSchemas.Validate(type, obj, null));
            if (problems.Count > 0)
            {
                throw ApiErrors.Invalid(type, name, problems);
            }

            options.OwnerReferences?.Check(type, name, obj, null);

            metadata.Remove("managedFields");
            ManagedFields.Record(obj, null, options.FieldManager, applied is null ? "Update" : "Apply", type.ApiVersion, null, Timestamps.Now(time), applied);
            var key = type.KeyOf(namespaceName, name);
            if (options.DryRun)
            {
                return type.Store.Get(key) is null ? new StoredObject(key, obj, 0) : throw ApiErrors.AlreadyExists(type, name);
            }

            var committed = type.Store.TryCommit(key, null, obj);
            if (committed is not null)
            {
                Committed(type, committed, null);
                return committed;
            }

            if (!generated || attempt >= 8)
            {
                throw ApiErrors.AlreadyExists(type, name);
            }

            obj = (JsonObject)obj.DeepClone();
            metadata = obj.Meta();
        }
    }

    /// <summary>
    /// Replaces an object with what <paramref name="produce"/> makes of the current one, retrying on concurrent
    /// writes; an unchanged result is not written. <paramref name="create"/> handles a missing object (apply).
    /// </summary>
    public (StoredObject Result, bool Created) Update(
        ResourceType type,
        string? namespaceName,
        string name,
        string? subresource,
        Func<StoredObject, JsonObject> produce,
        WriteOptions options,
        Func<JsonObject>? create = null,
        string operation = "Update",
        Func<StoredObject?, JsonObject?>? appliedFields = null)
    {
        var key = type.KeyOf(namespaceName, name);
        while (true)
        {
            var current = type.Store.Get(key);
            if (current is null)
            {
                if (create is not null)
                {
                    return (Create(type, namespaceName, create(), options, appliedFields?.Invoke(null)), true);
                }

                throw ApiErrors.NotFound(type, name);
            }

            var incoming = produce(current);
            var currentObject = current.Parse();
            var next = PrepareUpdate(type, current, currentObject, incoming, subresource, options);
            var metadata = next.Meta();
            ManagedFields.Record(next, currentObject, options.FieldManager, operation, type.ApiVersion, subresource, Timestamps.Now(time), appliedFields?.Invoke(current));
            metadata["resourceVersion"] = currentObject.Meta().GetString("resourceVersion");
            if (JsonTree.DeepEquals(next, currentObject))
            {
                return (current, false);
            }

            var finishing = metadata["deletionTimestamp"] is not null && metadata.GetStrings("finalizers").Count == 0 && !IsNamespace(type);
            if (options.DryRun)
            {
                return (new StoredObject(key, next, current.ResourceVersion), false);
            }

            var committed = finishing ? type.Store.TryCommit(key, current, null, next) : type.Store.TryCommit(key, current, next);
            if (committed is not null)
            {
                Committed(type, finishing ? null : committed, current);
                return (committed, false);
            }
        }
    }

    public StoredObject Replace(ResourceType type, string? namespaceName, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        CheckTypeMeta(type, body);
        return Update(type, namespaceName, name, subresource, _ => (JsonObject)body.DeepClone(), options).Result;
    }

    /// <summary>Deletes an object, or marks it for deletion while finalizers remain; returns its last state and whether it is gone.</summary>
    public (StoredObject Result, bool Deleted) Delete(ResourceType type, string? namespaceName, string name, DeleteRequest request)
    {
        var key = type.KeyOf(namespaceName, name);
        while (true)
        {
            var current = type.Store.Get(key) ?? throw ApiErrors.NotFound(type, name);
            var currentObject = current.Parse();
            var metadata = currentObject.Meta();
            if (request.PreconditionUid is { } uid && uid != current.Uid)
            {
                throw ApiErrors.Conflict(type, name, "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + current.Uid);
            }

            var currentVersion = metadata.GetString("resourceVersion");
            if (request.PreconditionResourceVersion is { } version && version != currentVersion)
            {
                throw ApiErrors.Conflict(type, name, "Precondition failed: ResourceVersion in precondition: " + version + ", ResourceVersion in object meta: " + currentVersion);
            }

            var finalizers = metadata.GetStrings("finalizers").ToList();
            var policyFinalizer = request.PropagationPolicy switch
            {
                "Foreground" => "foregroundDeletion",
                "Orphan" => "orphan",
                _ => null,
            };
            if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer) && !IsNamespace(type))
            {
                finalizers.Add(policyFinalizer);
            }

            if (finalizers.Count > 0 || IsNamespace(type))
            {
                var marked = current.Parse();
                var markedMeta = marked.Meta();
                if (markedMeta["deletionTimestamp"] is null)
                {
                    markedMeta["deletionTimestamp"] = Timestamps.Now(time);
                    markedMeta["deletionGracePeriodSeconds"] = 0;
                }

                if (finalizers.Count > 0)
                {
                    markedMeta["finalizers"] = new JsonArray([.. finalizers.Select(item => (JsonNode?)item)]);
                }

                if (IsNamespace(type))
                {
                    marked.GetOrAddObject("status")["phase"] = "Terminating";
                }

                if (JsonTree.DeepEquals(marked, currentObject) || request.DryRun)
                {
                    return (request.DryRun ? new StoredObject(key, marked, current.ResourceVersion) : current, false);
                }

                var committed = type.Store.TryCommit(key, current, marked);
                if (committed is not null)
                {
                    Collector?.Terminating(type, committed);
                    return (committed, false);
                }

                continue;
            }

            if (request.DryRun)
            {
                return (current, true);
            }

            var deleted = type.Store.TryCommit(key, current, null);
            if (deleted is not null)
            {
                Committed(type, null, current);
                return (deleted, true);
            }
        }
    }

    private static JsonObject PrepareUpdate(ResourceType type, StoredObject current, JsonObject currentObject, JsonObject incoming, string? subresource, WriteOptions options)
    {
        var incomingMeta = incoming.Meta();
        var currentMeta = currentObject.Meta();
        var name = currentMeta.GetString("name")!;
        var incomingName = incomingMeta.GetString("name");
        if (!string.IsNullOrEmpty(incomingName) && incomingName != name)
        {
            throw ApiErrors.BadRequest("the name of the object (" + incomingName + ") does not match the name on the URL (" + name + ")");
        }

        var incomingNamespace = incomingMeta.GetString("namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(incomingNamespace) && incomingNamespace != current.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var incomingVersion = incomingMeta.GetString("resourceVersion");
        if (string.IsNullOrEmpty(incomingVersion))
        {
            if (!type.Strategy.AllowUnconditionalUpdate)
            {
                throw ApiErrors.Invalid(type, name, [FieldProblem.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
        }
        else if (incomingVersion != currentMeta.GetString("resourceVersion"))
        {
            throw ApiErrors.Conflict(type, name);
        }

        JsonObject next;
        if (subresource == "status")
        {
            next = current.Parse();
            if (incoming["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = incoming;
            next["apiVersion"] = currentObject["apiVersion"]?.DeepClone();
            next["kind"] = currentObject["kind"]?.DeepClone();
            var nextMeta = next.Meta();
            var sentManagedFields = nextMeta["managedFields"] is JsonArray sent && !JsonTree.DeepEquals(sent, currentMeta["managedFields"]);
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "managedFields" })
            {
                if (field == "managedFields" && sentManagedFields)
                {
                    // A client that rewrites managedFields (kubectl's client-side to server-side apply migration) is obeyed, as the field manager does.
                    continue;
                }

                if (currentMeta[field] is { } kept)
                {
                    nextMeta[field] = kept.DeepClone();
                }
                else
                {
                    nextMeta.Remove(field);
                }
            }

            if (type.HasStatus)
            {
                if (currentObject["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }

            if (currentMeta["deletionTimestamp"] is not null)
            {
                var before = currentMeta.GetStrings("finalizers");
                var added = nextMeta.GetStrings("finalizers").Except(before).ToList();
                if (added.Count > 0)
                {
                    throw ApiErrors.Invalid(type, name, [FieldProblem.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers []string{\"" + string.Join("\", \"", added) + "\"}")]);
                }
            }

            type.Strategy.PrepareForUpdate(type, next, currentObject);
        }

        CustomResourceSchemas.Admit(type, next, options);
        if (type.Strategy.TracksGeneration && subresource != "status")
        {
            var generation = currentMeta.GetInt64("generation") ?? 1;
            if (!JsonTree.DeepEquals(SpecOf(next, type.HasStatus), SpecOf(currentObject, type.HasStatus)))
            {
                generation++;
            }

            next.Meta()["generation"] = generation;
        }

        var problems = ObjectNames.ValidateMetadata(next.Meta())
            .Concat(type.Strategy.Validate(type, next, currentObject))
            .Concat(CustomResourceSchemas.Validate(type, next, currentObject))
            .ToList();
        if (problems.Count > 0)
        {
            throw ApiErrors.Invalid(type, name, problems);
        }

        options.OwnerReferences?.Check(type, name, next, currentObject);
        return next;
    }

    /// <summary>Everything that moves metadata.generation: all but metadata, and status when a status subresource splits it off.</summary>
    private static JsonObject SpecOf(JsonObject obj, bool statusIsSeparate)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key != "metadata" && !(statusIsSeparate && key == "status"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private void Committed(ResourceType type, StoredObject? after, StoredObject? before)
    {
        type.Strategy.Committed(type, after, before);
        if (after is null && before is not null)
        {
            Collector?.Deleted(type, before);
        }
        else if (after is { OwnerUids.Count: > 0 } && (before is null || !before.OwnerUids.SequenceEqual(after.OwnerUids)))
        {
            Collector?.OwnersChanged(type, after);
        }
    }

    private static void CheckTypeMeta(ResourceType type, JsonObject obj)
    {
        var kind = obj.GetString("kind");
        var apiVersion = obj.GetString("apiVersion");
        if (type.CrdName is null && string.IsNullOrEmpty(kind) && string.IsNullOrEmpty(apiVersion))
        {
            // Typed endpoints decode into their own kind, so built-in bodies may leave the type out.
            kind = type.Kind;
            apiVersion = type.ApiVersion;
            obj["kind"] = kind;
        }

        if (string.IsNullOrEmpty(kind))
        {
            throw ApiErrors.BadRequest("Object 'Kind' is missing in '" + Truncate(obj.ToJsonString(JsonText.Options)) + "'");
        }

        if (kind != type.Kind || (apiVersion != type.ApiVersion && !(type.Group.Length > 0 && apiVersion?.StartsWith(type.Group + "/", StringComparison.Ordinal) == true)))
        {
            throw ApiErrors.BadRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + type.ApiVersion + ")");
        }

        obj["apiVersion"] = type.ApiVersion;
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] : text;

    private void RequireLiveNamespace(ResourceType type, string namespaceName, string name)
    {
        var namespaces = registry.Find(string.Empty, "v1", "namespaces")!;
        var found = namespaces.Store.Get(namespaceName) ?? throw ApiErrors.NamespaceNotFound(namespaceName);
        if (found.IsTerminating)
        {
            throw ApiErrors.Forbidden(type, name, "unable to create new content in namespace " + namespaceName + " because it is being terminated");
        }
    }

    private static bool IsNamespace(ResourceType type) => type.Group.Length == 0 && type.Plural == "namespaces";

    private static string RandomSuffix() =>
        string.Create(5, 0, static (span, _) =>
        {
            for (var index = 0; index < span.Length; index++)
            {
                span[index] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }
        });
}
