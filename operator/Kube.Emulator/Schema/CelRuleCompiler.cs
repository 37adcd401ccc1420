using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Cel.Internal;

namespace Kube.Emulator.Schema;

/// <summary>
/// Compiles the <c>x-kubernetes-validations</c> of one schema node with the Cel package, after checking statically
/// what the Cel package would only discover at run time (unknown functions, undeclared variables, undefined fields),
/// so that a rule the emulator cannot evaluate is refused when the CRD is compiled rather than accepted silently.
/// </summary>
internal static class CelRuleCompiler
{
    private static readonly HashSet<string> RuleKeys = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"];

    private static readonly Lock EnvironmentLock = new();

    private static readonly CelEnvironment Environment = CreateEnvironment();

    public static IReadOnlyList<CelRule> Compile(JsonNode? validations, SchemaNode node, string where, bool isResourceRoot, bool correlatable)
    {
        if (validations is null)
        {
            return [];
        }

        if (validations is not JsonArray array)
        {
            throw SchemaParser.Refuse($"{where}.x-kubernetes-validations", "must be an array of rules");
        }

        var rules = new List<CelRule>();
        for (var i = 0; i < array.Count; i++)
        {
            var ruleWhere = $"{where}.x-kubernetes-validations[{i}]";
            if (array[i] is not JsonObject entry)
            {
                throw SchemaParser.Refuse(ruleWhere, "must be an object");
            }

            rules.Add(CompileRule(entry, node, ruleWhere, isResourceRoot, correlatable));
        }

        return rules;
    }

    private static CelRule CompileRule(JsonObject entry, SchemaNode node, string where, bool isResourceRoot, bool correlatable)
    {
        foreach (var (key, _) in entry)
        {
            if (!RuleKeys.Contains(key))
            {
                throw SchemaParser.Refuse($"{where}.{key}", "is not a field of a validation rule");
            }
        }

        var rule = GetString(entry, "rule", where) ?? "";
        if (rule.Trim().Length == 0)
        {
            throw SchemaParser.Refuse($"{where}.rule", "Required value: rule is not specified");
        }

        var message = GetString(entry, "message", where) ?? "";
        if (message.Contains('\n', StringComparison.Ordinal))
        {
            throw SchemaParser.Refuse($"{where}.message", "message must not contain line breaks");
        }

        if (entry["optionalOldSelf"] is JsonValue optional && optional.GetValueKind() == JsonValueKind.True)
        {
            throw SchemaParser.Refuse($"{where}.optionalOldSelf", "optionalOldSelf is not supported by the emulator");
        }

        var reason = GetString(entry, "reason", where) switch
        {
            null => (FieldErrorType?)null,
            "FieldValueInvalid" => FieldErrorType.Invalid,
            "FieldValueForbidden" => FieldErrorType.Forbidden,
            "FieldValueRequired" => FieldErrorType.Required,
            "FieldValueDuplicate" => FieldErrorType.Duplicate,
            var other => throw SchemaParser.Refuse($"{where}.reason", $"Unsupported value: \"{other}\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""),
        };

        var fieldPath = GetString(entry, "fieldPath", where);
        var normalizedFieldPath = fieldPath is null ? null : RuleFieldPath.Normalize(fieldPath, node, $"{where}.fieldPath");

        var usesOldSelf = Check(rule, node, isResourceRoot, allowOldSelf: true, "bool", $"{where}.rule");
        if (usesOldSelf && !correlatable)
        {
            throw SchemaParser.Refuse($"{where}.rule", $"oldSelf cannot be used on the uncorrelatable portion of the schema within {where}: {rule}");
        }

        var program = CompileExpression(rule, $"{where}.rule");
        var messageExpression = GetString(entry, "messageExpression", where);
        CelProgramDelegate? messageProgram = null;
        if (messageExpression is not null)
        {
            if (messageExpression.Trim().Length == 0)
            {
                throw SchemaParser.Refuse($"{where}.messageExpression", "must be non-empty if specified");
            }

            Check(messageExpression, node, isResourceRoot, allowOldSelf: usesOldSelf, "string", $"{where}.messageExpression");
            messageProgram = CompileExpression(messageExpression, $"{where}.messageExpression");
        }

        return new CelRule(rule, message, program, messageProgram, normalizedFieldPath, reason, usesOldSelf);
    }

    private static CelProgramDelegate CompileExpression(string expression, string where)
    {
        try
        {
            lock (EnvironmentLock)
            {
                return Environment.Compile(expression);
            }
        }
        catch (CelException e)
        {
            throw SchemaParser.Refuse(where, $"compilation failed: {e.Message}: {expression}");
        }
    }

    /// <summary>Checks an expression statically; returns whether it refers to <c>oldSelf</c>.</summary>
    private static bool Check(string expression, SchemaNode node, bool isResourceRoot, bool allowOldSelf, string resultKind, string where)
    {
        CelParser.StartContext tree;
        try
        {
            lock (EnvironmentLock)
            {
                tree = Environment.Parse(expression);
            }
        }
        catch (CelException e)
        {
            throw SchemaParser.Refuse(where, $"compilation failed: {e.Message}: {expression}");
        }

        var checker = new CelTypeChecker(expression, where);
        var self = CelType.Of(isResourceRoot ? CelTypeChecker.WithTypeAndObjectMeta(node) : node);
        var result = checker.Check(tree, self, allowOldSelf ? self : null);
        if (result.Kind != resultKind && result.Kind != CelType.Dyn.Kind)
        {
            throw SchemaParser.Refuse(where, $"compilation failed: must evaluate to {resultKind} but evaluates to {result.Kind}: {expression}");
        }

        return checker.UsesOldSelf;
    }

    private static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        CelLibrary.Register(environment);
        return environment;
    }

    private static string? GetString(JsonObject entry, string key, string where) => entry[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw SchemaParser.Refuse($"{where}.{key}", "must be a string"),
    };
}
