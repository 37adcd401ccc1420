using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;

namespace Kube.Emulator.Schema;

/// <summary>
/// Evaluates the <c>x-kubernetes-validations</c> rules of every schema node against the value at that node, as
/// apiextensions' CEL validator does: <c>self</c> is the node's value, <c>oldSelf</c> its old value on update, and
/// transition rules run only when the old value exists.
/// </summary>
internal static partial class CelValidator
{
    public static void Validate(JsonNode? value, JsonNode? oldValue, SchemaNode node, string path, bool isResourceRoot, List<FieldError> errors) =>
        Validate(value, oldValue is null ? null : new OldValue(oldValue), ratchet: false, node, path, isResourceRoot, errors);

    // ratchet: whether the nearest correlated ancestor is unchanged, which ratchets the rules of an uncorrelated node.
    private static void Validate(JsonNode? value, OldValue? old, bool ratchet, SchemaNode node, string path, bool isResourceRoot, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        // Comparing with the old value walks the whole subtree, so it is done only where a rule or an uncorrelated child reads it.
        bool? unchangedKnown = null;
        bool Unchanged() => unchangedKnown ??= old is { } correlated ? correlated.Unchanged(value) : ratchet;
        if (node.Rules.Count > 0)
        {
            ValidateRules(value, old?.Value, Unchanged(), node, path, isResourceRoot, errors);
        }

        switch (value)
        {
            case JsonArray array when node.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    var oldItem = OldValue.Item(old, array[i], node);
                    Validate(array[i], oldItem, oldItem is null && Unchanged(), items, FieldPath.Index(path, i), items.EmbeddedResource, errors);
                }

                break;
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var schema = node.Property(name);
                    var childPath = schema is null ? FieldPath.Key(path, name) : FieldPath.Child(path, name);
                    schema ??= node.AdditionalProperties;
                    if (schema is not null)
                    {
                        var oldChild = node.MapType == "atomic" ? null : OldValue.Field(old, name);
                        Validate(child, oldChild, oldChild is null && Unchanged(), schema, childPath, schema.EmbeddedResource, errors);
                    }
                }

                break;
        }
    }

    private static void ValidateRules(JsonNode value, JsonNode? oldValue, bool unchanged, SchemaNode node, string path, bool isResourceRoot, List<FieldError> errors)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["self"] = CelValues.From(value, node, isResourceRoot),
        };
        if (oldValue is not null)
        {
            variables["oldSelf"] = CelValues.From(oldValue, node, isResourceRoot);
        }

        var typeName = node.Type;
        foreach (var rule in node.Rules)
        {
            // Transition rules need an old value; other rules are ratcheted on an unchanged value.
            if (rule.UsesOldSelf ? oldValue is null : unchanged)
            {
                continue;
            }

            object? result;
            try
            {
                result = rule.Program(variables);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The Cel package reports evaluation errors with assorted exception types; each is a failed rule, never a failed request.
                errors.Add(FieldError.Invalid(FieldPath.Display(path), JsonValue.Create(typeName), EvaluationError(e, rule)));
                continue;
            }

            if (result is true)
            {
                continue;
            }

            if (result is not false)
            {
                errors.Add(FieldError.Invalid(FieldPath.Display(path), JsonValue.Create(typeName), $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"));
                continue;
            }

            var errorPath = rule.FieldPath is null ? path : FieldPath.Child(path, rule.FieldPath);
            var detail = EvaluateMessage(rule, variables) ?? rule.MessageOrDefault;
            errors.Add(ErrorForReason(FieldPath.Display(errorPath), JsonValue.Create(typeName), detail, rule.Reason));
        }
    }

    private static string? EvaluateMessage(CelRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageProgram is null)
        {
            return null;
        }

        try
        {
            return rule.MessageProgram(variables) is string message && message.Trim() is { Length: > 0 } trimmed && !trimmed.Contains('\n', StringComparison.Ordinal)
                ? trimmed
                : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // As the real server does, a message expression that fails to evaluate falls back to the message.
            return null;
        }
    }

    private static FieldError ErrorForReason(string path, JsonNode? value, string detail, FieldErrorType? reason) => reason switch
    {
        FieldErrorType.Forbidden => FieldError.Forbidden(path, detail),
        FieldErrorType.Required => FieldError.Required(path, detail),
        FieldErrorType.Duplicate => FieldError.Duplicate(path, value),
        _ => FieldError.Invalid(path, value, detail),
    };

    private static string EvaluationError(Exception e, CelRule rule)
    {
        var cause = e switch
        {
            CelNoSuchFieldException => QuotedName().Match(e.Message) is { Success: true } match ? $"no such key: {match.Groups[1].Value}" : "no such key",
            CelDivideByZeroException => "division by zero",
            CelModulusByZeroException => "modulus by zero",
            CelOverflowException => "integer overflow",
            CelNoSuchOverloadException => null,
            _ => e.Message,
        };
        return cause is null
            ? $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"
            : $"{cause} evaluating rule: {rule.ErrorString}";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
