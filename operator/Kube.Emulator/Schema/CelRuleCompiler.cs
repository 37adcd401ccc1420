using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace Kube.Emulator.Schema;

/// <summary>
/// Compiles the <c>x-kubernetes-validations</c> of one schema node with the Cel package, after checking statically
/// what the Cel package would only discover at run time (unknown functions, undeclared variables, undefined fields),
/// so that a rule the emulator cannot evaluate is refused when the CRD is compiled rather than accepted silently.
/// </summary>
internal static partial class CelRuleCompiler
{
    private static readonly HashSet<string> RuleKeys = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"];

    private static readonly HashSet<string> GlobalFunctions = ["size", "has", "int", "uint", "double", "string", "bool", "dyn", "duration", "timestamp"];

    private static readonly HashSet<string> MemberFunctions = ["size", "matches", "contains", "startsWith", "endsWith"];

    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private static readonly SchemaNode StringNode = new() { Type = "string" };

    private static readonly SchemaNode MetadataNode = new()
    {
        Type = "object",
        Properties = [new("name", StringNode), new("generateName", StringNode)],
    };

    private static readonly Lock EnvironmentLock = new();

    private static readonly CelEnvironment Environment = new(null, null);

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

        var usesOldSelf = Check(rule, node, isResourceRoot, allowOldSelf: true, $"{where}.rule");
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

            Check(messageExpression, node, isResourceRoot, allowOldSelf: usesOldSelf, $"{where}.messageExpression");
            messageProgram = CompileExpression(messageExpression, $"{where}.messageExpression");
        }

        return new CelRule(rule, message, messageExpression, program, messageProgram, normalizedFieldPath, reason, usesOldSelf);
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
    private static bool Check(string expression, SchemaNode node, bool isResourceRoot, bool allowOldSelf, string where)
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

        var checker = new Checker(expression, where, isResourceRoot ? WithTypeAndObjectMeta(node) : node);
        var scope = new Dictionary<string, SchemaNode?> { ["self"] = checker.Self };
        if (allowOldSelf)
        {
            scope["oldSelf"] = checker.Self;
        }

        checker.Visit(tree, scope);
        return checker.UsesOldSelf;
    }

    private static SchemaNode WithTypeAndObjectMeta(SchemaNode node)
    {
        var properties = node.Properties.Where(p => p.Key is not "apiVersion" and not "kind" and not "metadata").ToList();
        properties.Add(new("apiVersion", StringNode));
        properties.Add(new("kind", StringNode));
        properties.Add(new("metadata", MetadataNode));
        return new SchemaNode
        {
            Type = "object",
            Properties = properties,
            PreserveUnknownFields = node.PreserveUnknownFields,
            AdditionalProperties = node.AdditionalProperties,
        };
    }

    private static string? GetString(JsonObject entry, string key, string where) => entry[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw SchemaParser.Refuse($"{where}.{key}", "must be a string"),
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    private sealed class Checker(string expression, string where, SchemaNode self)
    {
        public SchemaNode Self { get; } = self;

        public bool UsesOldSelf { get; private set; }

        public SchemaNode? Visit(IParseTree tree, IReadOnlyDictionary<string, SchemaNode?> scope)
        {
            switch (tree)
            {
                case CelParser.IdentOrGlobalCallContext ident:
                    return VisitIdent(ident, scope);
                case CelParser.SelectContext select:
                    return VisitSelect(select, scope);
                case CelParser.MemberCallContext call:
                    return VisitMemberCall(call, scope);
                case CelParser.IndexContext index:
                    var indexed = Visit(index.member(), scope);
                    Visit(index.index, scope);
                    return indexed?.Items ?? indexed?.AdditionalProperties;
                case CelParser.CreateMessageContext:
                    throw Refuse("message construction is not supported");
                case CelParser.NestedContext nested:
                    return Visit(nested.e, scope);
                default:
                    SchemaNode? single = null;
                    for (var i = 0; i < tree.ChildCount; i++)
                    {
                        single = Visit(tree.GetChild(i), scope);
                    }

                    return tree.ChildCount == 1 ? single : null;
            }
        }

        private SchemaNode? VisitIdent(CelParser.IdentOrGlobalCallContext ident, IReadOnlyDictionary<string, SchemaNode?> scope)
        {
            var name = ident.id.Text;
            if (ident.op is null)
            {
                if (name == "oldSelf" && scope.ContainsKey(name))
                {
                    UsesOldSelf = true;
                }

                return scope.TryGetValue(name, out var type) ? type : throw Refuse($"undeclared reference to '{name}'");
            }

            if (!GlobalFunctions.Contains(name))
            {
                throw Refuse($"undeclared reference to '{name}' (the emulator's CEL library has no such function)");
            }

            var args = ident.args?.expr() ?? [];
            if (name == "has" && (args.Length != 1 || !IsSelection(args[0])))
            {
                throw Refuse("invalid argument to has() macro");
            }

            foreach (var arg in args)
            {
                Visit(arg, scope);
            }

            return null;
        }

        private SchemaNode? VisitSelect(CelParser.SelectContext select, IReadOnlyDictionary<string, SchemaNode?> scope)
        {
            if (select.opt is not null)
            {
                throw Refuse("optional field selection is not supported");
            }

            var target = Visit(select.member(), scope);
            var field = select.id.Text;
            if (target is null)
            {
                return null;
            }

            if (target.Type is not "object" and not "")
            {
                throw Refuse($"type '{target.Type}' does not support field selection");
            }

            if (target.Property(field) is { } property)
            {
                return property;
            }

            if (target.AdditionalProperties is { } additional)
            {
                return additional;
            }

            if (target.PreserveUnknownFields || target.Type.Length == 0)
            {
                return null;
            }

            throw Refuse($"undefined field '{field}'");
        }

        private SchemaNode? VisitMemberCall(CelParser.MemberCallContext call, IReadOnlyDictionary<string, SchemaNode?> scope)
        {
            var name = call.id.Text;
            var target = Visit(call.member(), scope);
            var args = call.args?.expr() ?? [];
            if (Macros.Contains(name))
            {
                if (args.Length < 2 || !Identifier().IsMatch(args[0].GetText()))
                {
                    throw Refuse($"invalid arguments to the {name}() macro");
                }

                var element = target?.Items ?? (target?.AdditionalProperties is not null ? StringNode : null);
                var inner = new Dictionary<string, SchemaNode?>(scope) { [args[0].GetText()] = element };
                foreach (var arg in args.Skip(1))
                {
                    Visit(arg, inner);
                }

                return null;
            }

            if (!MemberFunctions.Contains(name))
            {
                throw Refuse($"undeclared reference to '{name}' (the emulator's CEL library has no such function)");
            }

            foreach (var arg in args)
            {
                Visit(arg, scope);
            }

            return null;
        }

        private static bool IsSelection(IParseTree tree)
        {
            while (tree.ChildCount == 1)
            {
                tree = tree.GetChild(0);
            }

            return tree is CelParser.SelectContext;
        }

        private CrdSchemaException Refuse(string why) => SchemaParser.Refuse(where, $"compilation failed: {why}: {expression}");
    }
}
