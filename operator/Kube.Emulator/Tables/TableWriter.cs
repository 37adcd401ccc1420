using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tables;

/// <summary>Server-side printing (meta.k8s.io/v1 Table): CRD printer columns, or Name and Age plus a few built-in columns.</summary>
internal static class TableWriter
{
    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> items, string? resourceVersion, string? continueToken, string includeObject, bool withHeaders, TimeProvider time)
    {
        var columns = Columns(type);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = Metadata(resourceVersion, continueToken),
            ["columnDefinitions"] = withHeaders
                ? new JsonArray([.. columns.Select(column => (JsonNode?)new JsonObject
                {
                    ["name"] = column.Name,
                    ["type"] = column.Type,
                    ["format"] = column.Format,
                    ["description"] = column.Description,
                    ["priority"] = column.Priority,
                })])
                : new JsonArray(),
            ["rows"] = new JsonArray([.. items.Select(item => (JsonNode?)Row(columns, item, includeObject, time))]),
        };
        return table;
    }

    private static JsonObject Metadata(string? resourceVersion, string? continueToken)
    {
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return metadata;
    }

    private static JsonObject Row(IReadOnlyList<TableColumn> columns, JsonObject item, string includeObject, TimeProvider time)
    {
        var row = new JsonObject
        {
            ["cells"] = new JsonArray([.. columns.Select(column => Cell(column, item, time))]),
        };
        if (includeObject == "Object")
        {
            row["object"] = item.DeepClone();
        }
        else if (includeObject != "None")
        {
            row["object"] = new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = item["metadata"]?.DeepClone(),
            };
        }

        return row;
    }

    private static JsonNode? Cell(TableColumn column, JsonObject item, TimeProvider time)
    {
        var value = column.Value(item);
        if (column.Type == "date")
        {
            return value is JsonValue text && DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? HumanDuration.Format(time.GetUtcNow() - when)
                : "<unknown>";
        }

        return value?.DeepClone();
    }

    private static List<TableColumn> Columns(ResourceType type)
    {
        if (type.Custom?.Columns is { } printerColumns)
        {
            return [.. printerColumns.Columns.Select((column, index) => new TableColumn(column.Name, column.Type, column.Format, column.Description, column.Priority, item => printerColumns.Cells(item)[index]?.DeepClone()))];
        }

        var columns = new List<TableColumn> { new("Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0, item => item.Meta()["name"]) };
        switch (type.Group + "/" + type.Plural)
        {
            case "/secrets":
                columns.Add(new("Type", "string", string.Empty, "The type of the secret", 0, item => item["type"]?.DeepClone()));
                columns.Add(new("Data", "string", string.Empty, "The number of data entries", 0, item => (item["data"] as JsonObject)?.Count ?? 0));
                break;
            case "/configmaps":
                columns.Add(new("Data", "string", string.Empty, "The number of data entries", 0, item => ((item["data"] as JsonObject)?.Count ?? 0) + ((item["binaryData"] as JsonObject)?.Count ?? 0)));
                break;
            case "/namespaces":
                columns.Add(new("Status", "string", string.Empty, "The status of the namespace", 0, item => item["status"]?["phase"]?.DeepClone()));
                break;
            case "coordination.k8s.io/leases":
                columns.Add(new("Holder", "string", string.Empty, "The holder of the lease", 0, item => item["spec"]?["holderIdentity"]?.DeepClone() ?? string.Empty));
                break;
        }

        columns.Add(new("Age", "date", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, item => item.Meta()["creationTimestamp"]));
        return columns;
    }

    private sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, JsonNode?> Value);
}
