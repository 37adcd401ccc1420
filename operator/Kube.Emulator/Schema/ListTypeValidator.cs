using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Enforces the uniqueness of <c>x-kubernetes-list-type</c> set and map lists, as apiextensions' <c>ValidateListSetsAndMaps</c>.
/// </summary>
internal static class ListTypeValidator
{
    public static void Validate(JsonNode? value, SchemaNode node, string path, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (node.Property(name) is { } property)
                    {
                        Validate(child, property, FieldPath.Child(path, name), errors);
                    }
                    else if (node.AdditionalProperties is { } additional)
                    {
                        Validate(child, additional, FieldPath.Key(path, name), errors);
                    }
                }

                break;
            case JsonArray array:
                ValidateArray(array, node, path, errors);
                break;
        }
    }

    private static void ValidateArray(JsonArray array, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.ListType == "set")
        {
            foreach (var i in NonUnique(array.Select(GoFormat.Json).ToList()))
            {
                errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), array[i]?.DeepClone()));
            }
        }
        else if (node.ListType == "map")
        {
            ValidateMap(array, node, path, errors);
        }

        if (node.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, FieldPath.Index(path, i), errors);
            }
        }
    }

    private static void ValidateMap(JsonArray array, SchemaNode node, string path, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(FieldPath.Index(path, i), array[i]!.DeepClone(), "must be an object for an array of list-type map"));
                return;
            }
        }

        var keys = array.Select(item =>
        {
            var key = new JsonObject();
            if (item is JsonObject obj)
            {
                foreach (var keyField in node.ListMapKeys)
                {
                    if (obj.TryGetPropertyValue(keyField, out var keyValue))
                    {
                        key[keyField] = keyValue?.DeepClone();
                    }
                }
            }

            return key;
        }).ToList();
        foreach (var i in NonUnique(keys.Select(GoFormat.Json).ToList()))
        {
            errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), keys[i]));
        }
    }

    /// <summary>The index of the second appearance of each value that appears more than once.</summary>
    private static IEnumerable<int> NonUnique(List<string> canonical)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < canonical.Count; i++)
        {
            seen.TryGetValue(canonical[i], out var times);
            seen[canonical[i]] = times + 1;
            if (times == 1)
            {
                yield return i;
            }
        }
    }
}
