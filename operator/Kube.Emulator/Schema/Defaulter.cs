using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Applies schema defaults as apiextensions' structural defaulting does: a default fills a missing field (or a null
/// one that may not be null) only where the parent object exists, and the defaulted value is then defaulted itself.
/// Nulls in non-nullable fields without a default are dropped, as <c>PruneNonNullableNullsWithoutDefaults</c> does.
/// </summary>
internal static class Defaulter
{
    public static void Apply(JsonNode? value, SchemaNode node)
    {
        switch (value)
        {
            case JsonObject obj:
                ApplyToObject(obj, node);
                break;
            case JsonArray array when node.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && !items.Nullable && items.Default is not null)
                    {
                        array[i] = items.Default.DeepClone();
                    }

                    Apply(array[i], items);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, SchemaNode node)
    {
        foreach (var (name, property) in node.Properties)
        {
            if (property.Default is null)
            {
                continue;
            }

            if (!obj.TryGetPropertyValue(name, out var current) || current is null && !property.Nullable)
            {
                obj[name] = property.Default.DeepClone();
            }
        }

        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            var child = obj[name];
            var schema = node.Property(name) ?? node.AdditionalProperties;
            if (schema is null)
            {
                continue;
            }

            if (child is null && !schema.Nullable)
            {
                if (schema.Default is not null)
                {
                    obj[name] = schema.Default.DeepClone();
                }
                else
                {
                    obj.Remove(name);
                }

                continue;
            }

            Apply(child, schema);
        }
    }
}
