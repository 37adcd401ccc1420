using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Drops the fields a structural schema does not declare, as apiextensions' structural pruning does, keeping
/// <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> at the root of the resource and of embedded resources.
/// </summary>
internal static class Pruner
{
    public static void Prune(JsonNode? value, SchemaNode node, string path, bool isResourceRoot, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(obj, node, path, isResourceRoot, pruned);
                break;
            case JsonArray array when node.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, FieldPath.Index(path, i), items.EmbeddedResource, pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, SchemaNode node, string path, bool isResourceRoot, List<string> pruned)
    {
        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            var childPath = FieldPath.Child(path, name);
            if (isResourceRoot && name is "apiVersion" or "kind" or "metadata")
            {
                if (name == "metadata" || node.Property(name) is null)
                {
                    continue;
                }
            }

            var schema = node.Property(name) ?? node.AdditionalProperties;
            if (schema is null)
            {
                if (!node.PreserveUnknownFields)
                {
                    obj.Remove(name);
                    pruned.Add(childPath);
                }

                continue;
            }

            Prune(obj[name], schema, childPath, schema.EmbeddedResource, pruned);
        }
    }
}
