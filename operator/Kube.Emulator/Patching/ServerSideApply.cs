using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Patching;

/// <summary>
/// An approximation of server-side apply: fields the manager applied before, no longer sends and no other manager
/// owns are removed, then the applied configuration is merged in (by merge key for built-ins). Conflicts with
/// other managers are not reported; every apply behaves as if forced.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, bool strategic)
    {
        var entries = (live["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var previous = entries.FirstOrDefault(entry => entry.GetString("manager") == manager && entry.GetString("operation") == "Apply")?["fieldsV1"] as JsonObject;
        if (previous is not null)
        {
            var others = entries
                .Where(entry => !(entry.GetString("manager") == manager && entry.GetString("operation") == "Apply"))
                .Select(entry => entry["fieldsV1"] as JsonObject)
                .OfType<JsonObject>()
                .Aggregate(new JsonObject(), Union);
            var sent = Union(ManagedFields.FieldSet(applied, null), ManagedFields.FieldSet(applied, "status"));
            RemoveDropped(live, (JsonObject)previous.DeepClone(), sent, others);
        }

        var merged = strategic ? StrategicMergePatch.Apply(live, applied) : JsonMergePatch.Apply(live, applied);
        return (JsonObject)merged!;
    }

    private static JsonObject Union(JsonObject left, JsonObject right)
    {
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            merged[key] = merged[key] is JsonObject mine && value is JsonObject theirs ? Union(mine, theirs) : value?.DeepClone();
        }

        return merged;
    }

    private static void RemoveDropped(JsonObject live, JsonObject previous, JsonObject sent, JsonObject others)
    {
        foreach (var (key, child) in previous)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[2..];
            var nestedPrevious = child as JsonObject;
            var liveChild = live[name] as JsonObject;
            var ownedByOthers = others[key] as JsonObject;
            if (sent[key] is JsonObject stillSent)
            {
                if (nestedPrevious is { Count: > 0 } && liveChild is not null)
                {
                    RemoveDropped(liveChild, nestedPrevious, stillSent, ownedByOthers ?? []);
                }

                continue;
            }

            if (name is "apiVersion" or "kind")
            {
                continue;
            }

            if (ownedByOthers is null)
            {
                live.Remove(name);
            }
            else if (nestedPrevious is { Count: > 0 } && liveChild is not null)
            {
                RemoveDropped(liveChild, nestedPrevious, [], ownedByOthers);
            }
        }
    }
}
