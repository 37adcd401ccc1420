using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Storage;

namespace Kube.Emulator.Selectors;

/// <summary>A parsed <c>fieldSelector</c>: metadata.name and metadata.namespace everywhere, plus the few fields each built-in kind supports.</summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private static readonly Dictionary<string, string[]> KindFields = new(StringComparer.Ordinal)
    {
        ["/secrets"] = ["type"],
        ["/namespaces"] = ["status.phase"],
        ["/events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["events.k8s.io/events"] = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath", "reason", "reportingController", "type"],
    };

    private readonly IReadOnlyList<(string Field, string Value, bool Equal)> terms;

    private FieldSelector(IReadOnlyList<(string Field, string Value, bool Equal)> terms)
    {
        this.terms = terms;
    }

    public bool IsEverything => terms.Count == 0;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parsed = new List<(string, string, bool)>();
        foreach (var part in text.Split(','))
        {
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            if (notEqual < 0 && equal < 0)
            {
                throw ApiErrors.BadRequest("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }

            var field = (notEqual >= 0 ? part[..notEqual] : part[..equal]).Trim();
            var value = notEqual >= 0 ? part[(notEqual + 2)..] : part[(equal + 1)..].TrimStart('=');
            if (field is not ("metadata.name" or "metadata.namespace")
                && !(KindFields.TryGetValue(type.Group + "/" + type.Plural, out var allowed) && allowed.Contains(field)))
            {
                throw ApiErrors.BadRequest(type.CrdName is null
                    ? "field label not supported: " + field
                    : "\"" + field + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }

            parsed.Add((field, value.Trim(), notEqual < 0));
        }

        return new FieldSelector(parsed);
    }

    /// <summary>The single metadata.name this selector pins, if any (lets GET-style watches skip the rest).</summary>
    public string? PinnedName => terms.FirstOrDefault(term => term.Field == "metadata.name" && term.Equal).Value;

    public bool Matches(StoredObject stored)
    {
        JsonObject? tree = null;
        foreach (var (field, value, equal) in terms)
        {
            string actual;
            if (field == "metadata.name")
            {
                actual = stored.Name;
            }
            else if (field == "metadata.namespace")
            {
                actual = stored.Namespace ?? string.Empty;
            }
            else
            {
                actual = Lookup(tree ??= stored.Parse(), field);
            }

            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static string Lookup(JsonObject obj, string field)
    {
        {
            JsonNode? node = obj;
            foreach (var segment in field.Split('.'))
            {
                node = node is JsonObject parent ? parent[segment] : null;
            }

            return node is JsonValue leaf ? leaf.ToString() : string.Empty;
        }
    }
}
