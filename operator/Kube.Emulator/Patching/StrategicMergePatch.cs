using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Patching;

/// <summary>
/// An approximation of strategic merge patch for built-in kinds: lists with a known merge key (containers, env,
/// volumes, ports, ...) merge by that key, metadata.finalizers merge as a set, other lists replace; the
/// <c>$patch: delete|replace</c>, <c>$retainKeys</c> and <c>$deleteFromPrimitiveList</c> directives are honoured.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
    };

    private static readonly HashSet<string> SetLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (patchObject.GetString("$patch") is { } directive)
        {
            if (directive == "delete")
            {
                return null;
            }

            if (directive == "replace")
            {
                return WithoutDirectives(patchObject);
            }
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray removed)
                {
                    result[field] = new JsonArray([.. list.Where(item => !removed.Any(gone => JsonTree.DeepEquals(gone, item))).Select(item => item?.DeepClone())]);
                }

                continue;
            }

            if (key.StartsWith('$'))
            {
                continue;
            }

            if (JsonTree.IsNull(value))
            {
                result.Remove(key);
                continue;
            }

            var existing = result[key];
            result.Remove(key);
            JsonNode? merged = value switch
            {
                JsonArray patchList => MergeList(key, existing as JsonArray, patchList),
                JsonObject => Apply(existing, value),
                _ => value!.DeepClone(),
            };
            if (merged is not null)
            {
                result[key] = merged;
            }
        }

        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(item => item?.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(pair => pair.Key).ToList())
            {
                if (!keep.Contains(key))
                {
                    result.Remove(key);
                }
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? existing, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(item => item.GetString("$patch") == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(item => item.GetString("$patch") != "replace").Select(WithoutDirectives)]);
        }

        if (SetLists.Contains(field) && existing is not null)
        {
            var union = new JsonArray([.. existing.Select(item => item?.DeepClone())]);
            foreach (var item in patch)
            {
                if (!union.Any(present => JsonTree.DeepEquals(present, item)))
                {
                    union.Add(item?.DeepClone());
                }
            }

            return union;
        }

        var mergeKey = MergeKeyOf(field, patch, existing);
        if (mergeKey is null || existing is null)
        {
            return new JsonArray([.. patch.Where(item => item is not JsonObject obj || obj.GetString("$patch") != "delete").Select(item => item is JsonObject obj ? WithoutDirectives(obj) : item?.DeepClone())]);
        }

        var result = new JsonArray([.. existing.Select(item => item?.DeepClone())]);
        foreach (var item in patch.OfType<JsonObject>())
        {
            var keyValue = item[mergeKey];
            var index = IndexOf(result, mergeKey, keyValue);
            if (item.GetString("$patch") == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = Apply(result[index]!.DeepClone(), item);
                result.RemoveAt(index);
                result.Insert(index, merged);
            }
            else
            {
                result.Add(WithoutDirectives(item));
            }
        }

        return result;
    }

    private static string? MergeKeyOf(string field, JsonArray patch, JsonArray? existing)
    {
        if (field == "ports")
        {
            var sample = patch.OfType<JsonObject>().Concat(existing?.OfType<JsonObject>() ?? []).FirstOrDefault();
            return sample?.ContainsKey("containerPort") == true ? "containerPort" : "port";
        }

        return MergeKeys.GetValueOrDefault(field);
    }

    private static int IndexOf(JsonArray list, string key, JsonNode? value)
    {
        for (var index = 0; index < list.Count; index++)
        {
            if (list[index] is JsonObject item && JsonTree.DeepEquals(item[key], value))
            {
                return index;
            }
        }

        return -1;
    }

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!key.StartsWith('$'))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
