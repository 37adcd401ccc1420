using System.Text.Json.Nodes;

namespace Kube.Emulator.Patching;

/// <summary>
/// An approximation of server-side apply: fields the manager applied before and no longer sends are removed,
/// then the applied configuration is merged in (by merge key for built-ins). Conflicts with other managers are
/// not detected; every apply behaves as if forced.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, JsonObject? previouslyApplied, bool strategic)
    {
        if (previouslyApplied is not null)
        {
            RemoveDropped(live, previouslyApplied, ManagedFields.FieldSet(applied, null), ManagedFields.FieldSet(applied, "status"));
        }

        var merged = strategic ? StrategicMergePatch.Apply(live, applied) : JsonMergePatch.Apply(live, applied);
        return (JsonObject)merged!;
    }

    private static void RemoveDropped(JsonObject live, JsonObject previous, JsonObject current, JsonObject currentStatus) =>
        RemoveDropped(live, previous, Merge(current, currentStatus));

    private static JsonObject Merge(JsonObject left, JsonObject right)
    {
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static void RemoveDropped(JsonObject live, JsonObject previous, JsonObject current)
    {
        foreach (var (key, child) in previous)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[2..];
            if (current[key] is not JsonObject stillSent)
            {
                if (name is not ("apiVersion" or "kind"))
                {
                    live.Remove(name);
                }

                continue;
            }

            if (child is JsonObject nested && nested.Count > 0 && live[name] is JsonObject liveChild)
            {
                RemoveDropped(liveChild, nested, stillSent);
            }
        }
    }
}
