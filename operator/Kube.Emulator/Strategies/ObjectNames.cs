using System.Text.RegularExpressions;

namespace Kube.Emulator.Strategies;

/// <summary>The API server's name rules (RFC 1123 subdomains and labels).</summary>
internal static partial class ObjectNames
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

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
}
