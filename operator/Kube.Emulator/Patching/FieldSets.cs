using System.Text.Json.Nodes;

namespace Kube.Emulator.Patching;

/// <summary>Operations on FieldsV1 sets (<c>{"f:spec":{"f:port":{}}}</c>): leaves, membership, removal, union.</summary>
internal static class FieldSets
{
    public static IEnumerable<IReadOnlyList<string>> Leaves(JsonObject set) => Leaves(set, []);

    public static IEnumerable<IReadOnlyList<string>> Leaves(JsonObject set, IReadOnlyList<string> prefix)
    {
        var children = set.Where(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal)).ToList();
        if (children.Count == 0)
        {
            if (prefix.Count > 0)
            {
                yield return prefix;
            }

            yield break;
        }

        foreach (var (key, child) in children)
        {
            foreach (var leaf in Leaves(child as JsonObject ?? [], [.. prefix, key[2..]]))
            {
                yield return leaf;
            }
        }
    }

    public static bool Contains(JsonObject set, IReadOnlyList<string> path)
    {
        JsonObject? node = set;
        foreach (var segment in path)
        {
            node = node?["f:" + segment] as JsonObject;
        }

        return node is not null && !node.Any(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal));
    }

    public static bool Disown(JsonObject set, IReadOnlyList<string> path, int depth)
    {
        var key = "f:" + path[depth];
        if (set[key] is not JsonObject child)
        {
            return false;
        }

        if (depth == path.Count - 1 || Disown(child, path, depth + 1))
        {
            if (depth == path.Count - 1 || !child.Any(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal)))
            {
                set.Remove(key);
            }
        }

        return !set.Any(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal));
    }

    public static JsonObject Union(JsonObject left, JsonObject right)
    {
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            merged[key] = merged[key] is JsonObject mine && value is JsonObject theirs ? Union(mine, theirs) : value?.DeepClone();
        }

        return merged;
    }
}
