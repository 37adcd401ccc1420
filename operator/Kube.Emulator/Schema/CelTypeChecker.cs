using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Kube.Emulator.Schema;

/// <summary>
/// Type-checks a parsed CEL expression against the schema, refusing what Kubernetes' CEL compiler refuses
/// (undeclared variables, undefined fields, mismatched operand types) and what the Cel package lacks
/// (functions other than the ones listed here and in <see cref="CelLibrary"/>), because the Cel package only finds
/// those at run time.
/// </summary>
internal sealed class CelTypeChecker(string expression, string where)
{
    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private static readonly SchemaNode StringNode = new() { Type = "string" };

    private static readonly SchemaNode MetadataNode = new()
    {
        Type = "object",
        Properties = [new("name", StringNode), new("generateName", StringNode)],
    };

    public bool UsesOldSelf { get; private set; }

    /// <summary>A resource root as CEL sees it: its properties plus apiVersion, kind and metadata (name and generateName).</summary>
    public static SchemaNode WithTypeAndObjectMeta(SchemaNode node)
    {
        var properties = node.Properties.Where(p => p.Key is not "apiVersion" and not "kind" and not "metadata").ToList();
        properties.Add(new("apiVersion", StringNode));
        properties.Add(new("kind", StringNode));
        properties.Add(new("metadata", MetadataNode));
        return new SchemaNode { Type = "object", Properties = properties, PreserveUnknownFields = node.PreserveUnknownFields };
    }

    public CelType Check(CelParser.StartContext tree, CelType self, CelType? oldSelf)
    {
        var scope = new Dictionary<string, CelType>(StringComparer.Ordinal) { ["self"] = self };
        if (oldSelf is not null)
        {
            scope["oldSelf"] = oldSelf;
        }

        return Visit(tree.e, scope);
    }

    private CelType Visit(IParseTree tree, IReadOnlyDictionary<string, CelType> scope)
    {
        switch (tree)
        {
            case CelParser.ExprContext expr when expr.op is not null:
                Require(Visit(expr.e, scope), CelType.Bool, "_?_:_");
                var whenTrue = Visit(expr.e1, scope);
                var whenFalse = Visit(expr.e2, scope);
                return whenTrue == whenFalse ? whenTrue : CelType.Dyn;
            case CelParser.ConditionalOrContext or CelParser.ConditionalAndContext when tree.ChildCount > 1:
                for (var i = 0; i < tree.ChildCount; i += 2)
                {
                    Require(Visit(tree.GetChild(i), scope), CelType.Bool, tree is CelParser.ConditionalOrContext ? "_||_" : "_&&_");
                }

                return CelType.Bool;
            case CelParser.RelationContext relation when relation.op is not null:
                return VisitRelation(relation.op.Text, Visit(tree.GetChild(0), scope), Visit(tree.GetChild(2), scope));
            case CelParser.CalcContext calc when calc.op is not null:
                return VisitCalc(calc.op.Text, Visit(tree.GetChild(0), scope), Visit(tree.GetChild(2), scope));
            case CelParser.LogicalNotContext:
                Require(Visit(tree.GetChild(tree.ChildCount - 1), scope), CelType.Bool, "!_");
                return CelType.Bool;
            case CelParser.NegateContext:
                var negated = Visit(tree.GetChild(tree.ChildCount - 1), scope);
                return negated.IsNumeric || negated.IsDyn ? negated : throw NoOverload("-_", negated);
            case CelParser.IdentOrGlobalCallContext ident:
                return VisitIdent(ident, scope);
            case CelParser.SelectContext select:
                return VisitSelect(select, scope);
            case CelParser.MemberCallContext call:
                return VisitMemberCall(call, scope);
            case CelParser.IndexContext index:
                return VisitIndex(Visit(index.member(), scope), Visit(index.index, scope));
            case CelParser.NestedContext nested:
                return Visit(nested.e, scope);
            case CelParser.CreateListContext list:
                VisitChildren(list, scope);
                return CelType.List(CelType.Dyn);
            case CelParser.CreateStructContext map:
                VisitChildren(map, scope);
                return CelType.Map(CelType.Dyn);
            case CelParser.CreateMessageContext:
                throw Refuse("message construction is not supported");
            case CelParser.StringContext:
                return CelType.String;
            case CelParser.IntContext:
                return CelType.Int;
            case CelParser.UintContext:
                return CelType.Uint;
            case CelParser.DoubleContext:
                return CelType.Double;
            case CelParser.BoolTrueContext or CelParser.BoolFalseContext:
                return CelType.Bool;
            case CelParser.BytesContext:
                return CelType.Bytes;
            case CelParser.NullContext:
                return CelType.Null;
            default:
                var result = VisitChildren(tree, scope);
                return tree.ChildCount == 1 ? result : CelType.Dyn;
        }
    }

    private CelType VisitChildren(IParseTree tree, IReadOnlyDictionary<string, CelType> scope)
    {
        var last = CelType.Dyn;
        for (var i = 0; i < tree.ChildCount; i++)
        {
            if (tree.GetChild(i) is not ITerminalNode)
            {
                last = Visit(tree.GetChild(i), scope);
            }
        }

        return last;
    }

    private CelType VisitRelation(string op, CelType left, CelType right)
    {
        var function = "_" + op + "_";
        switch (op)
        {
            case "==" or "!=":
                if (left.IsScalar && right.IsScalar && left.Kind != right.Kind && !(left.IsNumeric && right.IsNumeric))
                {
                    throw NoOverload(function, left, right);
                }

                return CelType.Bool;
            case "in":
                return right.Kind is "list" or "map" || right.IsDyn ? CelType.Bool : throw NoOverload("@in", left, right);
            default:
                var comparable = left.IsDyn || right.IsDyn
                    || left.Kind == right.Kind && left.IsScalar
                    || left.IsNumeric && right.IsNumeric;
                return comparable ? CelType.Bool : throw NoOverload(function, left, right);
        }
    }

    private CelType VisitCalc(string op, CelType left, CelType right)
    {
        var function = "_" + op + "_";
        if (left.IsDyn || right.IsDyn)
        {
            return CelType.Dyn;
        }

        if (op == "+" && left.Kind == right.Kind && left.Kind is "string" or "bytes" or "list")
        {
            return left.Kind == "list" ? CelType.List(left.Element == right.Element ? left.Element! : CelType.Dyn) : left;
        }

        var numeric = op == "%" ? left.Kind is "int" or "uint" : left.IsNumeric;
        return numeric && left.Kind == right.Kind ? left : throw NoOverload(function, left, right);
    }

    private CelType VisitIdent(CelParser.IdentOrGlobalCallContext ident, IReadOnlyDictionary<string, CelType> scope)
    {
        var name = ident.id.Text;
        if (ident.op is null)
        {
            if (!scope.TryGetValue(name, out var type))
            {
                throw Refuse($"undeclared reference to '{name}'");
            }

            UsesOldSelf |= name == "oldSelf";
            return type;
        }

        var args = ident.args?.expr() ?? [];
        if (name == "has")
        {
            if (args.Length != 1 || !IsSelection(args[0]))
            {
                throw Refuse("invalid argument to has() macro");
            }

            Visit(args[0], scope);
            return CelType.Bool;
        }

        var types = args.Select(a => Visit(a, scope)).ToList();
        if (types.Count != 1)
        {
            throw Refuse($"undeclared reference to '{name}' with {types.Count} arguments (the emulator's CEL library has no such function)");
        }

        var argument = types[0];
        return name switch
        {
            "size" => Size(argument),
            "int" => Convertible(argument, CelType.Int, "int", "uint", "double", "string"),
            "uint" => Convertible(argument, CelType.Uint, "int", "uint", "double", "string"),
            "double" => Convertible(argument, CelType.Double, "int", "uint", "double", "string"),
            "string" => Convertible(argument, CelType.String, "int", "uint", "double", "string", "bool", "bytes"),
            "bool" => Convertible(argument, CelType.Bool, "bool", "string"),
            "dyn" => CelType.Dyn,
            "isURL" => Convertible(argument, CelType.Bool, "string"),
            _ => throw Refuse($"undeclared reference to '{name}' (the emulator's CEL library has no such function)"),
        };
    }

    private CelType VisitSelect(CelParser.SelectContext select, IReadOnlyDictionary<string, CelType> scope)
    {
        if (select.opt is not null)
        {
            throw Refuse("optional field selection is not supported");
        }

        var target = Visit(select.member(), scope);
        var field = select.id.Text;
        switch (target.Kind)
        {
            case "dyn":
                return CelType.Dyn;
            case "map":
                return target.Element!;
            case "object":
                var node = target.Node!;
                if (node.Property(field) is { } property)
                {
                    return CelType.Of(property);
                }

                return node.PreserveUnknownFields ? CelType.Dyn : throw Refuse($"undefined field '{field}'");
            default:
                throw Refuse($"type '{target.Kind}' does not support field selection");
        }
    }

    private CelType VisitMemberCall(CelParser.MemberCallContext call, IReadOnlyDictionary<string, CelType> scope)
    {
        var name = call.id.Text;
        var target = Visit(call.member(), scope);
        var args = call.args?.expr() ?? [];
        if (Macros.Contains(name))
        {
            return VisitMacro(name, target, args, scope);
        }

        var types = args.Select(a => Visit(a, scope)).ToList();
        switch (name)
        {
            case "size" when types.Count == 0:
                return Size(target);
            case "matches" or "startsWith" or "endsWith" or "contains" when types.Count == 1:
                RequireAll(name, [target, .. types], CelType.String);
                return CelType.Bool;
            case "lowerAscii" or "upperAscii" or "trim" when types.Count == 0:
                Require(target, CelType.String, name);
                return CelType.String;
            case "indexOf" or "lastIndexOf" when types.Count == 1:
                RequireAll(name, [target, .. types], CelType.String);
                return CelType.Int;
            case "split" when types.Count == 1:
                RequireAll(name, [target, .. types], CelType.String);
                return CelType.List(CelType.String);
            case "replace" when types.Count == 2:
                RequireAll(name, [target, .. types], CelType.String);
                return CelType.String;
            case "join" when types.Count <= 1:
                if (target.Kind != "list" && !target.IsDyn)
                {
                    throw NoOverload(name, target);
                }

                Require(target.Element ?? CelType.Dyn, CelType.String, name);
                RequireAll(name, types, CelType.String);
                return CelType.String;
            default:
                throw Refuse($"undeclared reference to '{name}' (the emulator's CEL library has no such function)");
        }
    }

    private CelType VisitMacro(string name, CelType target, CelParser.ExprContext[] args, IReadOnlyDictionary<string, CelType> scope)
    {
        if (args.Length < 2 || args.Length > (name == "map" ? 3 : 2) || !IsIdentifier(args[0], out var variable))
        {
            throw Refuse($"invalid arguments to the {name}() macro");
        }

        var element = target.Kind switch
        {
            "list" => target.Element!,
            "map" => CelType.String,
            "dyn" => CelType.Dyn,
            _ => throw NoOverload(name, target),
        };
        var inner = new Dictionary<string, CelType>(scope, StringComparer.Ordinal) { [variable] = element };
        var results = args.Skip(1).Select(a => Visit(a, inner)).ToList();
        switch (name)
        {
            case "map":
                if (results.Count == 2)
                {
                    Require(results[0], CelType.Bool, name);
                }

                return CelType.List(results[^1]);
            case "filter":
                Require(results[0], CelType.Bool, name);
                return CelType.List(element);
            default:
                Require(results[0], CelType.Bool, name);
                return CelType.Bool;
        }
    }

    private CelType VisitIndex(CelType target, CelType index) => target.Kind switch
    {
        "list" when index.Kind is "int" or "uint" or "dyn" => target.Element!,
        "map" when index.Kind is "string" or "dyn" => target.Element!,
        "dyn" => CelType.Dyn,
        _ => throw NoOverload("_[_]", target, index),
    };

    private CelType Size(CelType argument) =>
        argument.Kind is "string" or "bytes" or "list" or "map" or "dyn" ? CelType.Int : throw NoOverload("size", argument);

    private CelType Convertible(CelType argument, CelType result, params string[] from) =>
        argument.IsDyn || from.Contains(argument.Kind) ? result : throw NoOverload(result.Kind, argument);

    private void RequireAll(string function, IEnumerable<CelType> actual, CelType expected)
    {
        foreach (var type in actual)
        {
            Require(type, expected, function);
        }
    }

    private void Require(CelType actual, CelType expected, string function)
    {
        if (!actual.IsDyn && actual.Kind != expected.Kind)
        {
            throw NoOverload(function, actual);
        }
    }

    private static bool IsSelection(IParseTree tree)
    {
        while (tree.ChildCount == 1)
        {
            tree = tree.GetChild(0);
        }

        return tree is CelParser.SelectContext;
    }

    private static bool IsIdentifier(IParseTree tree, out string name)
    {
        while (tree.ChildCount == 1 && tree is not CelParser.IdentOrGlobalCallContext)
        {
            tree = tree.GetChild(0);
        }

        if (tree is CelParser.IdentOrGlobalCallContext { op: null } ident)
        {
            name = ident.id.Text;
            return true;
        }

        name = "";
        return false;
    }

    private CrdSchemaException NoOverload(string function, params CelType[] types) =>
        Refuse($"found no matching overload for '{function}' applied to '({string.Join(", ", types.Select(t => t.Kind))})'");

    private CrdSchemaException Refuse(string why) => SchemaParser.Refuse(where, $"compilation failed: {why}: {expression}");
}
