using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Patching;

/// <summary>
/// Plausible metadata.managedFields: one entry per manager, operation and subresource, with a FieldsV1 set of the
/// fields the manager sent (Apply) or changed (Update). Lists are owned as a whole.
/// </summary>
internal static class ManagedFields
{
    public static void Record(JsonObject next, JsonObject? previous, string manager, string operation, string apiVersion, string? subresource, string now, JsonObject? applied = null)
    {
        var metadata = next.Meta();
        var entries = metadata["managedFields"] as JsonArray ?? [];
        var owned = applied is not null ? FieldSet(applied, subresource) : ChangedFields(next, previous, subresource);
        if (applied is null)
        {
            TakeOver(entries, owned, manager, operation, subresource);
        }

        JsonObject? mine = null;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (entry.GetString("manager") == manager && entry.GetString("operation") == operation && entry.GetString("subresource") == subresource)
            {
                mine = entry;
            }
        }

        if (mine is not null)
        {
            if (applied is null && mine["fieldsV1"] is JsonObject before)
            {
                owned = FieldSets.Union(before, owned);
            }

            if (JsonTree.DeepEquals(mine["fieldsV1"], owned) && mine.GetString("apiVersion") == apiVersion)
            {
                return;
            }

            entries.Remove(mine);
        }

        if (owned.Count == 0)
        {
            return;
        }

        var record = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = operation,
            ["apiVersion"] = apiVersion,
            ["time"] = now,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = owned,
        };
        if (subresource is not null)
        {
            record["subresource"] = subresource;
        }

        entries.Add(record);
        metadata["managedFields"] = entries;
    }

    /// <summary>An update owns the fields it changed alone: they leave every other manager's set, and emptied entries go.</summary>
    private static void TakeOver(JsonArray entries, JsonObject changed, string manager, string operation, string? subresource)
    {
        var leaves = FieldSets.Leaves(changed).ToList();
        if (leaves.Count == 0)
        {
            return;
        }

        foreach (var entry in entries.OfType<JsonObject>().ToList())
        {
            var mine = entry.GetString("manager") == manager && entry.GetString("operation") == operation && entry.GetString("subresource") == subresource;
            if (mine || entry["fieldsV1"] is not JsonObject owned)
            {
                continue;
            }

            var emptied = false;
            foreach (var leaf in leaves)
            {
                emptied |= FieldSets.Disown(owned, leaf, 0);
            }

            if (emptied && !owned.Any(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal)))
            {
                entries.Remove(entry);
            }
        }
    }

    public static JsonObject FieldSet(JsonObject obj, string? subresource)
    {
        var set = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (key == "status") != (subresource == "status"))
            {
                continue;
            }

            if (key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    var kept = new JsonObject();
                    foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                    {
                        if (metadata[field] is { } present)
                        {
                            kept["f:" + field] = Fields(present);
                        }
                    }

                    if (kept.Count > 0)
                    {
                        set["f:metadata"] = kept;
                    }
                }

                continue;
            }

            set["f:" + key] = Fields(value);
        }

        return set;
    }

    private static JsonObject ChangedFields(JsonObject next, JsonObject? previous, string? subresource)
    {
        var all = FieldSet(next, subresource);
        if (previous is null)
        {
            return all;
        }

        var before = FieldSet(previous, subresource);
        return Difference(all, before, next, previous);
    }

    private static JsonObject Difference(JsonObject nextSet, JsonObject previousSet, JsonNode? nextValue, JsonNode? previousValue)
    {
        var result = new JsonObject();
        foreach (var (key, child) in nextSet)
        {
            if (key == ".")
            {
                continue;
            }

            var name = key[2..];
            var nextChild = (nextValue as JsonObject)?[name];
            var previousChild = (previousValue as JsonObject)?[name];
            if (JsonTree.DeepEquals(nextChild, previousChild))
            {
                continue;
            }

            if (child is JsonObject nested && nested.Count > 0 && previousSet[key] is JsonObject previousNested && nextChild is JsonObject)
            {
                var inner = Difference(nested, previousNested, nextChild, previousChild);
                if (inner.Count > 0)
                {
                    result[key] = inner;
                }
            }
            else
            {
                result[key] = child?.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject Fields(JsonNode? value)
    {
        if (value is not JsonObject obj)
        {
            return [];
        }

        var set = new JsonObject { ["."] = new JsonObject() };
        foreach (var (key, child) in obj)
        {
            set["f:" + key] = Fields(child);
        }

        return set;
    }
}
