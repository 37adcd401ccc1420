using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// The table columns of a CRD version (<c>additionalPrinterColumns</c>), led by the Name column as the real server's
/// table convertor leads them, and defaulting to an Age column when the CRD declares none.
/// </summary>
public sealed class PrinterColumnSet
{
    private const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private const string CreationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static readonly HashSet<string> ColumnTypes = ["integer", "number", "string", "boolean", "date"];

    private static readonly JsonPathExpression NamePath = JsonPathExpression.Parse(".metadata.name", "name");

    private readonly IReadOnlyList<JsonPathExpression> paths;

    private PrinterColumnSet(IReadOnlyList<PrinterColumn> columns, IReadOnlyList<JsonPathExpression> paths)
    {
        Columns = columns;
        this.paths = paths;
    }

    /// <summary>The columns, Name first, in <c>columnDefinitions</c> order.</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; }

    /// <summary>Compiles the columns; throws <see cref="CrdSchemaException"/> for a column the real server refuses.</summary>
    public static PrinterColumnSet Compile(JsonArray? additionalPrinterColumns)
    {
        var columns = new List<PrinterColumn> { new("Name", "string", "name", NameDescription, 0) };
        var paths = new List<JsonPathExpression> { NamePath };
        if (additionalPrinterColumns is null || additionalPrinterColumns.Count == 0)
        {
            columns.Add(new("Age", "date", "", CreationTimestampDescription, 0));
            paths.Add(JsonPathExpression.Parse(".metadata.creationTimestamp", "age"));
            return new PrinterColumnSet(columns, paths);
        }

        for (var i = 0; i < additionalPrinterColumns.Count; i++)
        {
            var where = $"additionalPrinterColumns[{i}]";
            if (additionalPrinterColumns[i] is not JsonObject column)
            {
                throw SchemaParser.Refuse(where, "must be an object");
            }

            var name = GetString(column, "name", where) ?? throw SchemaParser.Refuse($"{where}.name", "Required value");
            var type = GetString(column, "type", where) ?? throw SchemaParser.Refuse($"{where}.type", "Required value");
            if (!ColumnTypes.Contains(type))
            {
                throw SchemaParser.Refuse($"{where}.type", $"Unsupported value: \"{type}\": supported values: \"boolean\", \"date\", \"integer\", \"number\", \"string\"");
            }

            var jsonPath = GetString(column, "jsonPath", where) ?? throw SchemaParser.Refuse($"{where}.jsonPath", "Required value");
            var priority = column["priority"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number ? p.GetValue<int>() : 0;
            columns.Add(new(name, type, GetString(column, "format", where) ?? "", GetString(column, "description", where) ?? "", priority));
            paths.Add(JsonPathExpression.Parse(jsonPath, $"{where}.jsonPath"));
        }

        return new PrinterColumnSet(columns, paths);
    }

    /// <summary>
    /// The cells of one row, converted to the column types as the real server's table convertor converts them;
    /// a value that is missing or of another type is null. Date columns hold the raw timestamp: the caller renders
    /// the age (the real server renders it with <c>duration.HumanDuration</c>).
    /// </summary>
    public JsonArray Cells(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var cells = new JsonArray();
        for (var i = 0; i < Columns.Count; i++)
        {
            cells.Add(paths[i].TryEvaluate(obj, out var value) ? Cell(Columns[i].Type, value) : null);
        }

        return cells;
    }

    private static JsonNode? Cell(string type, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        switch (type)
        {
            case "string":
                return JsonValue.Create(kind switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.Number => GoFormat.Number((JsonValue)value),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => GoFormat.Json(value),
                });
            case "integer" when kind == JsonValueKind.Number:
                var number = (JsonValue)value;
                return JsonValue.Create(JsonNumbers.TryGetInt64(number, out var integer) ? integer : (long)JsonNumbers.GetDouble(number));
            case "number" when kind == JsonValueKind.Number:
                return JsonValue.Create(JsonNumbers.GetDouble((JsonValue)value));
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(kind == JsonValueKind.True);
            case "date" when kind == JsonValueKind.String:
                return JsonValue.Create(value.GetValue<string>());
            default:
                return null;
        }
    }

    private static string? GetString(JsonObject column, string key, string where) => column[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw SchemaParser.Refuse($"{where}.{key}", "must be a string"),
    };
}
