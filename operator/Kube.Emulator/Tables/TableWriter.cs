using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tables;

/// <summary>Server-side printing (meta.k8s.io/v1 Table): CRD printer columns, or Name and Age plus a few built-in columns.</summary>
internal static class TableWriter
{
    private const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private const string AgeDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.";

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
        if ((column.Type == "date" && !column.KeepTimestamp) || column.IsAge)
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

        var name = new TableColumn("Name", "string", "name", NameDescription, 0, item => item.Meta()["name"]?.DeepClone());
        var age = new TableColumn("Age", "date", string.Empty, AgeDescription, 0, item => item.Meta()["creationTimestamp"]?.DeepClone());
        return (type.Group + "/" + type.Plural) switch
        {
            "/secrets" =>
            [
                name,
                new("Type", "string", string.Empty, "The type of the secret", 0, item => item["type"]?.DeepClone()),
                new("Data", "string", string.Empty, "The number of data entries", 0, item => Count(item["data"])),
                age,
            ],
            "/configmaps" => [name, new("Data", "string", string.Empty, "The number of data entries", 0, item => Count(item["data"]) + Count(item["binaryData"])), age],
            "/namespaces" => [name, new("Status", "string", string.Empty, "The status of the namespace", 0, item => item["status"]?["phase"]?.DeepClone()), age],
            "coordination.k8s.io/leases" => [name, new("Holder", "string", string.Empty, "The holder of the lease", 0, item => item["spec"]?["holderIdentity"]?.DeepClone() ?? string.Empty), age],
            "apps/deployments" =>
            [
                name,
                new("Ready", "string", string.Empty, "Number of the pod with ready state", 0, item => (Number(item["status"]?["readyReplicas"]) ?? 0) + "/" + (Number(item["spec"]?["replicas"]) ?? 1)),
                new("Up-to-date", "integer", string.Empty, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0, item => Number(item["status"]?["updatedReplicas"]) ?? 0),
                new("Available", "integer", string.Empty, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0, item => Number(item["status"]?["availableReplicas"]) ?? 0),
                age,
                new("Containers", "string", string.Empty, "Names of each container in the template.", 1, item => Containers(item, "name")),
                new("Images", "string", string.Empty, "Images referenced by each container in the template.", 1, item => Containers(item, "image")),
            ],
            "/services" =>
            [
                name,
                new("Type", "string", string.Empty, "The type of the service.", 0, item => item["spec"]?["type"]?.DeepClone() ?? "ClusterIP"),
                new("Cluster-IP", "string", string.Empty, "The IP of the service.", 0, item => item["spec"]?["clusterIP"]?.DeepClone() ?? "<none>"),
                new("External-IP", "string", string.Empty, "The external IPs of the service.", 0, _ => "<none>"),
                new("Port(s)", "string", string.Empty, "The ports of the service.", 0, Ports),
                age,
            ],
            "/events" or "events.k8s.io/events" =>
            [
                new("Last Seen", "string", string.Empty, "Time since the event was last seen", 0, item => item["lastTimestamp"]?.DeepClone() ?? item["eventTime"]?.DeepClone() ?? item.Meta()["creationTimestamp"]?.DeepClone()) { IsAge = true },
                new("Type", "string", string.Empty, "Type of the event", 0, item => item["type"]?.DeepClone()),
                new("Reason", "string", string.Empty, "Reason of the event", 0, item => item["reason"]?.DeepClone()),
                new("Object", "string", string.Empty, "The object the event is about", 0, EventObject),
                new("Message", "string", string.Empty, "Message of the event", 0, item => item["message"]?.DeepClone() ?? item["note"]?.DeepClone()),
                new("Count", "string", string.Empty, "How often the event happened", 1, item => item["count"]?.DeepClone()),
                name with { Priority = 1, Format = string.Empty },
            ],
            "/serviceaccounts" => [name, new("Secrets", "string", string.Empty, "The number of secrets", 0, item => Count(item["secrets"])), age],
            "rbac.authorization.k8s.io/rolebindings" or "rbac.authorization.k8s.io/clusterrolebindings" =>
            [
                name,
                new("Role", "string", string.Empty, "Role", 0, item => item["roleRef"]?["kind"] + "/" + item["roleRef"]?["name"]),
                age,
            ],
            "policy/poddisruptionbudgets" =>
            [
                name,
                new("Min Available", "string", string.Empty, "The minimum number of pods that must be available", 0, item => item["spec"]?["minAvailable"]?.ToString() ?? "N/A"),
                new("Max Unavailable", "string", string.Empty, "The maximum number of pods that may be unavailable", 0, item => item["spec"]?["maxUnavailable"]?.ToString() ?? "N/A"),
                new("Allowed Disruptions", "integer", string.Empty, "Calculated number of pods that may be disrupted at this time", 0, item => Number(item["status"]?["disruptionsAllowed"]) ?? 0),
                age,
            ],
            _ => [name, new("Created At", "date", string.Empty, AgeDescription, 0, item => item.Meta()["creationTimestamp"]?.DeepClone()) { KeepTimestamp = true }],
        };
    }

    private static int Count(JsonNode? map) => (map as JsonObject)?.Count ?? 0;

    private static long? Number(JsonNode? value) =>
        value is JsonValue number && number.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(number.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static JsonNode Containers(JsonObject item, string field) =>
        string.Join(',', (item["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(container => container.GetString(field)));

    private static JsonNode Ports(JsonObject item)
    {
        var ports = (item["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(port => port.GetInt64("port")?.ToString(CultureInfo.InvariantCulture) + "/" + (port.GetString("protocol") ?? "TCP"))
            .ToList();
        return ports.Count == 0 ? "<none>" : string.Join(',', ports);
    }

    private static JsonNode EventObject(JsonObject item)
    {
        var target = item["involvedObject"] as JsonObject ?? item["regarding"] as JsonObject ?? [];
        return (target.GetString("kind") ?? string.Empty).ToLowerInvariant() + "/" + target.GetString("name");
    }

    private sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, JsonNode?> Value)
    {
        /// <summary>A string column that shows a timestamp as an age, like the events' Last Seen.</summary>
        public bool IsAge { get; init; }

        /// <summary>A date column printed as the RFC 3339 timestamp itself, as the default table convertor's Created At.</summary>
        public bool KeepTimestamp { get; init; }
    }
}
