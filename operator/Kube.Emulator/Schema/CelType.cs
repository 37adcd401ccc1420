namespace Kube.Emulator.Schema;

/// <summary>
/// The static CEL type of an expression, as Kubernetes derives it from the schema: scalars, lists, maps
/// (additionalProperties), objects (properties) and dyn where the schema does not say.
/// </summary>
internal sealed record CelType(string Kind, CelType? Element = null, SchemaNode? Node = null)
{
    public static readonly CelType Dyn = new("dyn");
    public static readonly CelType String = new("string");
    public static readonly CelType Int = new("int");
    public static readonly CelType Uint = new("uint");
    public static readonly CelType Double = new("double");
    public static readonly CelType Bool = new("bool");
    public static readonly CelType Bytes = new("bytes");
    public static readonly CelType Null = new("null_type");

    public bool IsDyn => Kind == Dyn.Kind;

    public bool IsNumeric => Kind is "int" or "uint" or "double";

    public bool IsScalar => Kind is "string" or "int" or "uint" or "double" or "bool" or "bytes";

    public static CelType List(CelType element) => new("list", element);

    public static CelType Map(CelType element) => new("map", element);

    /// <summary>The type Kubernetes gives a value of this schema.</summary>
    public static CelType Of(SchemaNode? node)
    {
        if (node is null || node.IntOrString)
        {
            return Dyn;
        }

        return node.Type switch
        {
            "string" => String,
            "integer" => Int,
            "number" => Double,
            "boolean" => Bool,
            "array" => List(Of(node.Items)),
            "object" when node.AdditionalProperties is not null => Map(Of(node.AdditionalProperties)),
            "object" when node.Properties.Count > 0 || !node.PreserveUnknownFields => new CelType("object", Node: node),
            _ => Dyn,
        };
    }
}
