using System.Globalization;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// The subset of client-go JSONPath that <c>additionalPrinterColumns</c> use: field selection (<c>.a.b</c>,
/// <c>['a.b']</c>), indexes (<c>[0]</c>, <c>[*]</c>) and filters comparing a field to a literal
/// (<c>[?(@.type=="Ready")]</c>). Evaluation yields the first match, or nothing.
/// </summary>
internal sealed class JsonPathExpression
{
    private readonly IReadOnlyList<Step> steps;

    private JsonPathExpression(IReadOnlyList<Step> steps) => this.steps = steps;

    public static JsonPathExpression Parse(string path, string where)
    {
        var steps = new List<Step>();
        var position = 0;
        if (!path.StartsWith('.'))
        {
            throw SchemaParser.Refuse(where, $"must be a simple JSON path starting with '.': {path}");
        }

        while (position < path.Length)
        {
            if (path[position] == '.')
            {
                var end = position + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[')
                {
                    end++;
                }

                var name = path[(position + 1)..end];
                if (name.Length == 0)
                {
                    throw SchemaParser.Refuse(where, $"empty field name in JSON path: {path}");
                }

                steps.Add(new FieldStep(name));
                position = end;
            }
            else if (path[position] == '[')
            {
                var close = FindClose(path, position, where);
                steps.Add(ParseBracket(path[(position + 1)..close].Trim(), path, where));
                position = close + 1;
            }
            else
            {
                throw SchemaParser.Refuse(where, $"unexpected '{path[position]}' in JSON path: {path}");
            }
        }

        return new JsonPathExpression(steps);
    }

    /// <summary>The first value the path selects, or null when it selects nothing.</summary>
    public bool TryEvaluate(JsonNode? root, out JsonNode? result)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in steps)
        {
            current = current.SelectMany(step.Apply).ToList();
        }

        using var enumerator = current.GetEnumerator();
        if (enumerator.MoveNext())
        {
            result = enumerator.Current;
            return true;
        }

        result = null;
        return false;
    }

    private static int FindClose(string path, int open, string where)
    {
        var quote = '\0';
        for (var i = open + 1; i < path.Length; i++)
        {
            var c = path[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw SchemaParser.Refuse(where, $"unterminated [ in JSON path: {path}");
    }

    private static Step ParseBracket(string inner, string path, string where)
    {
        if (inner == "*")
        {
            return new WildcardStep();
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return new IndexStep(index);
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return new FieldStep(inner[1..^1]);
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            return ParseFilter(inner[2..^1].Trim(), path, where);
        }

        throw SchemaParser.Refuse(where, $"unsupported JSON path expression [{inner}]: {path}");
    }

    private static FilterStep ParseFilter(string condition, string path, string where)
    {
        foreach (var op in new[] { "==", "!=" })
        {
            var at = condition.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var left = condition[..at].Trim();
            var right = condition[(at + op.Length)..].Trim();
            if (!left.StartsWith("@.", StringComparison.Ordinal))
            {
                break;
            }

            var fields = left[2..].Split('.');
            JsonNode? literal = right.Length >= 2 && right[0] is '\'' or '"' && right[^1] == right[0]
                ? JsonValue.Create(right[1..^1])
                : JsonNode.Parse(right);
            return new FilterStep(fields, op == "==", literal);
        }

        throw SchemaParser.Refuse(where, $"unsupported JSON path filter ?({condition}): {path}");
    }

    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Apply(JsonNode? node);
    }

    private sealed record FieldStep(string Name) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
            node is JsonObject obj && obj.TryGetPropertyValue(Name, out var child) ? [child] : [];
    }

    private sealed record IndexStep(int Index) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                return [];
            }

            var i = Index < 0 ? array.Count + Index : Index;
            return i >= 0 && i < array.Count ? [array[i]] : [];
        }
    }

    private sealed record WildcardStep : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) => node switch
        {
            JsonArray array => array,
            JsonObject obj => obj.Select(p => p.Value),
            _ => [],
        };
    }

    private sealed record FilterStep(IReadOnlyList<string> Fields, bool Equal, JsonNode? Literal) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                return [];
            }

            return array.Where(item =>
            {
                JsonNode? value = item;
                foreach (var field in Fields)
                {
                    if (value is not JsonObject obj || !obj.TryGetPropertyValue(field, out value))
                    {
                        return false;
                    }
                }

                return JsonEquality.DeepEquals(value, Literal) == Equal;
            });
        }
    }
}
