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
    public static void Validate(JsonNode? value, JsonNode? oldValue, SchemaNode node, string path, bool isResourceRoot, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        ValidateRules(value, oldValue, node, path, isResourceRoot, errors);
        switch (value)
        {
            case JsonArray array when node.Items is { } items:
                var oldItems = node.ListType == "map" ? oldValue as JsonArray : null;
                for (var i = 0; i < array.Count; i++)
                {
                    var oldItem = oldItems is null ? null : FindByMapKeys(oldItems, array[i], node.ListMapKeys);
                    Validate(array[i], oldItem, items, FieldPath.Index(path, i), items.EmbeddedResource, errors);
                }

                break;
            case JsonObject obj:
                var oldObj = node.MapType == "atomic" ? null : oldValue as JsonObject;
                foreach (var (name, child) in obj)
                {
                    var schema = node.Property(name);
                    var childPath = schema is null ? FieldPath.Key(path, name) : FieldPath.Child(path, name);
                    schema ??= node.AdditionalProperties;
                    if (schema is not null)
                    {
                        Validate(child, oldObj?[name], schema, childPath, schema.EmbeddedResource, errors);
                    }
                }

                break;
        }
    }

    private static void ValidateRules(JsonNode value, JsonNode? oldValue, SchemaNode node, string path, bool isResourceRoot, List<FieldError> errors)
    {
        if (node.Rules.Count == 0)
        {
            return;
        }

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
            if (rule.UsesOldSelf && oldValue is null)
            {
                continue;
            }

            object? result;
            try
            {
                result = rule.Program(variables);
            }
            catch (Exception e) when (e is CelException or InvalidCastException or ArgumentException or KeyNotFoundException)
            {
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
        catch (Exception e) when (e is CelException or InvalidCastException or ArgumentException or KeyNotFoundException)
        {
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

    private static JsonNode? FindByMapKeys(JsonArray oldItems, JsonNode? item, IReadOnlyList<string> keys)
    {
        if (item is not JsonObject obj)
        {
            return null;
        }

        return oldItems.FirstOrDefault(old => old is JsonObject candidate && keys.All(k => JsonEquality.DeepEquals(candidate[k], obj[k])));
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
