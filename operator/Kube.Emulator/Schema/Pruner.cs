using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Drops the fields a structural schema does not declare, as apiextensions' structural pruning does, keeping
/// <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> at the root of the resource and of embedded resources, and
/// unknown fields under <c>x-kubernetes-preserve-unknown-fields</c> (which reaches through arrays to their items).
/// </summary>
internal static class Pruner
{
    public static void Prune(JsonNode? value, SchemaNode node, string path, bool isResourceRoot, List<string> pruned) =>
        Prune(value, node, path, isResourceRoot, node.PreserveUnknownFields, pruned);

    private static void Prune(JsonNode? value, SchemaNode node, string path, bool isResourceRoot, bool keepUnknown, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(obj, node, path, isResourceRoot, keepUnknown, pruned);
                break;
            case JsonArray array when node.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, FieldPath.Index(path, i), items.EmbeddedResource, keepUnknown || items.PreserveUnknownFields, pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, SchemaNode node, string path, bool isResourceRoot, bool keepUnknown, List<string> pruned)
    {
        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            if (isResourceRoot && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var childPath = FieldPath.Child(path, name);
            var schema = node.Property(name) ?? node.AdditionalProperties;
            if (schema is not null)
            {
                Prune(obj[name], schema, childPath, schema.EmbeddedResource, schema.PreserveUnknownFields, pruned);
            }
            else if (!keepUnknown)
            {
                obj.Remove(name);
                pruned.Add(childPath);
            }
        }
    }
}
