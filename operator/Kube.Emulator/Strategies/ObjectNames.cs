using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kube.Emulator.Strategies;

/// <summary>The API server's name rules (RFC 1123 subdomains and labels).</summary>
internal static partial class ObjectNames
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>metadata.labels and metadata.annotations keys and label values, as ValidateObjectMeta checks them.</summary>
    public static IEnumerable<FieldProblem> ValidateMetadata(JsonObject metadata)
    {
        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                foreach (var problem in ValidateQualifiedName("metadata.labels", key))
                {
                    yield return problem;
                }

                var text = value?.ToString() ?? string.Empty;
                if (text.Length > 63)
                {
                    yield return FieldProblem.Invalid("metadata.labels", FieldProblem.Quote(text), "must be no more than 63 characters");
                }

                if (!LabelValue().IsMatch(text))
                {
                    yield return FieldProblem.Invalid("metadata.labels", FieldProblem.Quote(text), LabelValueMessage);
                }
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                foreach (var problem in ValidateQualifiedName("metadata.annotations", key.ToLowerInvariant()))
                {
                    yield return problem;
                }
            }
        }
    }

    private static IEnumerable<FieldProblem> ValidateQualifiedName(string field, string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !Subdomain().IsMatch(prefix))
            {
                yield return FieldProblem.Invalid(field, FieldProblem.Quote(key), "prefix part " + SubdomainMessage);
            }
        }

        if (name.Length == 0)
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(key), "name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(key), "name part must be no more than 63 characters");
        }

        if (name.Length > 0 && !QualifiedName().IsMatch(name))
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(key), QualifiedNameMessage);
        }
    }

    public static IEnumerable<FieldProblem> ValidateSubdomain(string field, string name)
    {
        if (name.Length > 253)
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), "must be no more than 253 characters");
        }

        if (!Subdomain().IsMatch(name))
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), SubdomainMessage);
        }
    }

    public static IEnumerable<FieldProblem> ValidatePathSegment(string field, string name)
    {
        if (name is "." or "..")
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), "may not be '" + name + "'");
        }

        foreach (var illegal in new[] { "/", "%" }.Where(illegal => name.Contains(illegal, StringComparison.Ordinal)))
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), "may not contain '" + illegal + "'");
        }
    }

    public static IEnumerable<FieldProblem> ValidateLabel(string field, string name)
    {
        if (name.Length > 63)
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), "must be no more than 63 characters");
        }

        if (!Label().IsMatch(name))
        {
            yield return FieldProblem.Invalid(field, FieldProblem.Quote(name), LabelMessage);
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
