namespace Kube.Emulator.Schema;

/// <summary>
/// Refuses defaults that the real server refuses when the CRD is created: a default that does not validate against
/// its own schema (keywords, list types, then CEL rules), or that would lose fields to pruning.
/// </summary>
internal static class DefaultChecker
{
    public static void Check(SchemaNode node, string where)
    {
        if (node.Default is { } value)
        {
            var copy = value.DeepClone();
            var pruned = new List<string>();
            Pruner.Prune(copy, node, "", node.EmbeddedResource, pruned);
            if (pruned.Count > 0)
            {
                throw SchemaParser.Refuse($"{where}.default", $"must not have unknown fields: {string.Join(", ", pruned)}");
            }

            var errors = new List<FieldError>();
            Defaulter.Apply(copy, node);
            StructuralValidator.Validate(copy, node, "default", errors);
            ListTypeValidator.Validate(copy, node, "default", errors);
            if (errors.Count == 0)
            {
                CelValidator.Validate(copy, null, node, "default", node.EmbeddedResource, errors);
            }

            if (errors.Count > 0)
            {
                throw SchemaParser.Refuse($"{where}.default", $"invalid default: {string.Join(", ", errors)}");
            }
        }

        foreach (var (name, property) in node.Properties)
        {
            Check(property, $"{where}.properties[{name}]");
        }

        if (node.Items is not null)
        {
            Check(node.Items, $"{where}.items");
        }

        if (node.AdditionalProperties is not null)
        {
            Check(node.AdditionalProperties, $"{where}.additionalProperties");
        }
    }
}
