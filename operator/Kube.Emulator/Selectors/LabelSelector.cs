using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kube.Emulator.Api;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Selectors;

/// <summary>A parsed <c>labelSelector</c> query parameter (all requirements must hold).</summary>
internal sealed partial class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        Requirements = requirements;
    }

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A metav1.LabelSelector object (matchLabels and matchExpressions), as an aggregationRule's clusterRoleSelectors
    /// hold; an empty one matches everything.
    /// </summary>
    public static LabelSelector FromObject(JsonObject selector)
    {
        var terms = new List<string>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            terms.Add(key + "=" + value?.GetValue<string>());
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression.GetString("key") ?? string.Empty;
            var values = string.Join(',', (expression["values"] as JsonArray ?? []).OfType<JsonValue>().Select(value => value.GetValue<string>()));
            terms.Add(expression.GetString("operator") switch
            {
                "In" => key + " in (" + values + ")",
                "NotIn" => key + " notin (" + values + ")",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var other => throw ApiErrors.BadRequest("\"" + other + "\" is not a valid label selector operator"),
            });
        }

        return Parse(string.Join(',', terms));
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements);
    }

    private static LabelRequirement ParseRequirement(string part)
    {
        Match match;
        if ((match = SetForm().Match(part)).Success)
        {
            var values = match.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var key = Key(match.Groups[1].Value);
            return new LabelRequirement(key, match.Groups[2].Value == "in" ? LabelOperator.In : LabelOperator.NotIn, [.. values.Select(value => Value(value))]);
        }

        if ((match = EqualityForm().Match(part)).Success)
        {
            var key = Key(match.Groups[1].Value);
            var value = Value(match.Groups[3].Value.Trim());
            return match.Groups[2].Value switch
            {
                "!=" => new LabelRequirement(key, LabelOperator.NotIn, [value]),
                ">" => new LabelRequirement(key, LabelOperator.GreaterThan, [Number(value)]),
                "<" => new LabelRequirement(key, LabelOperator.LessThan, [Number(value)]),
                _ => new LabelRequirement(key, LabelOperator.In, [value]),
            };
        }

        if (part.StartsWith('!'))
        {
            return new LabelRequirement(Key(part[1..].Trim()), LabelOperator.DoesNotExist, []);
        }

        return new LabelRequirement(Key(part), LabelOperator.Exists, []);
    }

    private static string Key(string key)
    {
        key = key.Trim();
        if (!LabelKey().IsMatch(key))
        {
            throw ApiErrors.BadRequest("unable to parse requirement: <nil>: Invalid value: \"" + key + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        }

        return key;
    }

    private static string Value(string value)
    {
        if (value.Length > 0 && !LabelValue().IsMatch(value))
        {
            throw ApiErrors.BadRequest("unable to parse requirement: values[0][" + value + "]: Invalid value: \"" + value + "\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return value;
    }

    private static string Number(string value) =>
        long.TryParse(value, out _) ? value : throw ApiErrors.BadRequest("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var index = 0; index < text.Length; index++)
        {
            switch (text[index])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..index];
                    start = index + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^\s*([^\s!=<>(),]+)\s+(in|notin)\s*\((.*)\)\s*$")]
    private static partial Regex SetForm();

    [GeneratedRegex(@"^\s*([^\s!=<>(),]+)\s*(==|=|!=|>|<)\s*([^(),]*)$")]
    private static partial Regex EqualityForm();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
