using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Patching;

/// <summary>
/// An approximation of server-side apply: a field another manager owns with a different value is a conflict
/// (409, unless forced, which takes the field over); fields the manager applied before, no longer sends and no
/// other manager owns are removed; then the applied configuration is merged in (by merge key for built-ins).
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, string? subresource, bool strategic, bool force)
    {
        bool Mine(JsonObject entry) =>
            entry.GetString("manager") == manager && entry.GetString("operation") == "Apply" && entry.GetString("subresource") == subresource;

        var entries = (live["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var sent = ManagedFields.FieldSet(applied, subresource);
        TakeOverOrRefuse(live, applied, sent, entries.Where(entry => !Mine(entry)).ToList(), force);
        if (entries.FirstOrDefault(Mine)?["fieldsV1"] is JsonObject previous)
        {
            var others = entries
                .Where(entry => !Mine(entry))
                .Select(entry => entry["fieldsV1"] as JsonObject)
                .OfType<JsonObject>()
                .Aggregate(new JsonObject(), FieldSets.Union);
            RemoveDropped(live, (JsonObject)previous.DeepClone(), sent, others);
        }

        var merged = strategic ? StrategicMergePatch.Apply(live, applied) : JsonMergePatch.Apply(live, applied);
        return (JsonObject)merged!;
    }

    private static void TakeOverOrRefuse(JsonObject live, JsonObject applied, JsonObject sentSet, List<JsonObject> others, bool force)
    {
        var sent = FieldSets.Leaves(sentSet).ToList();
        var conflicts = new List<(JsonObject Entry, IReadOnlyList<string> Path)>();
        foreach (var entry in others)
        {
            if (entry["fieldsV1"] is not JsonObject owned)
            {
                continue;
            }

            foreach (var path in sent)
            {
                if (FieldSets.Contains(owned, path) && !JsonTree.DeepEquals(ValueAt(live, path), ValueAt(applied, path)))
                {
                    conflicts.Add((entry, path));
                }
            }
        }

        if (conflicts.Count == 0)
        {
            return;
        }

        if (!force)
        {
            throw Conflict(conflicts);
        }

        foreach (var (entry, path) in conflicts)
        {
            if (FieldSets.Disown((JsonObject)entry["fieldsV1"]!, path, 0))
            {
                (live["metadata"]!["managedFields"] as JsonArray)!.Remove(entry);
            }
        }
    }

    private static ApiException Conflict(List<(JsonObject Entry, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = new JsonArray([.. conflicts.Select(conflict => (JsonNode?)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = "conflict with " + Describe(conflict.Entry),
            ["field"] = Text(conflict.Path),
        })]);
        string message;
        if (conflicts.Count == 1)
        {
            message = "Apply failed with 1 conflict: conflict with " + Describe(conflicts[0].Entry) + ": " + Text(conflicts[0].Path);
        }
        else
        {
            var lines = conflicts
                .GroupBy(conflict => Describe(conflict.Entry))
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .SelectMany(group => new[] { "conflicts with " + group.Key + ":" }.Concat(group.Select(conflict => "- " + Text(conflict.Path))));
            message = "Apply failed with " + conflicts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " conflicts: " + string.Join("\n", lines);
        }

        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    /// <summary>The manager as the real server prints it: quoted, with subresource, and for Update entries the version and time.</summary>
    private static string Describe(JsonObject entry)
    {
        var text = "\"" + entry.GetString("manager") + "\"";
        if (entry.GetString("subresource") is { Length: > 0 } subresource)
        {
            text += " with subresource \"" + subresource + "\"";
        }

        if (entry.GetString("operation") == "Update")
        {
            text += " using " + entry.GetString("apiVersion");
            if (entry.GetString("time") is { } time)
            {
                text += " at " + time;
            }
        }

        return text;
    }

    private static string Text(IReadOnlyList<string> path) => "." + string.Join('.', path);

    private static JsonNode? ValueAt(JsonObject obj, IReadOnlyList<string> path)
    {
        JsonNode? node = obj;
        foreach (var segment in path)
        {
            node = (node as JsonObject)?[segment];
        }

        return node;
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
