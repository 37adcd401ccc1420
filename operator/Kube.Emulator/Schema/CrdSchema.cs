using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// The compiled <c>openAPIV3Schema</c> of one CRD version: applies defaults, prunes unknown fields and validates
/// objects (structural schema, list types and <c>x-kubernetes-validations</c> CEL rules) with the messages a real
/// API server gives. Call <see cref="Prune"/> then <see cref="ApplyDefaults"/> on every object decoded from a request
/// or read from storage, then <see cref="Validate"/> on create and update.
/// </summary>
public sealed class CrdSchema
{
    private const string UncheckedRulesDetail = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private readonly SchemaNode root;

    private CrdSchema(SchemaNode root) => this.root = root;

    /// <summary>
    /// Compiles a schema; throws <see cref="CrdSchemaException"/> naming the construct for anything the real server
    /// refuses or the emulator cannot evaluate (including CEL rules that do not compile or use unknown functions).
    /// </summary>
    public static CrdSchema Compile(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var root = SchemaParser.ParseRoot(openApiV3Schema);
        DefaultChecker.Check(root, "openAPIV3Schema");
        return new CrdSchema(root);
    }

    /// <summary>Fills defaults into the whole object (root = the object with apiVersion, kind and metadata).</summary>
    public void ApplyDefaults(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Defaulter.Apply(obj, root);
    }

    /// <summary>Removes the fields the schema does not declare and returns their paths, e.g. <c>spec.foo</c>.</summary>
    public IReadOnlyList<string> Prune(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var pruned = new List<string>();
        Pruner.Prune(obj, root, "", isResourceRoot: true, pruned);
        return pruned;
    }

    /// <summary>
    /// Validates an object on create (<paramref name="oldObj"/> null) or update, in the real server's order:
    /// schema, list types, then CEL rules (skipped, with the server's note, when a blocking error was found).
    /// On update, errors in fields equal to their old values are ratcheted away (dropped) as the real server does
    /// since Kubernetes 1.30 (CRDValidationRatcheting), except for transition rules; list-type errors count only
    /// if the old object had none.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var errors = new List<FieldError>();
        StructuralValidator.Validate(obj, oldObj is null ? null : new OldValue(oldObj), root, "", errors);
        var listErrors = new List<FieldError>();
        ListTypeValidator.Validate(obj, root, "", listErrors);
        if (listErrors.Count > 0 && (oldObj is null || !HasListErrors(oldObj)))
        {
            errors.AddRange(listErrors);
        }

        if (HasRules(root))
        {
            if (errors.Any(IsBlocking))
            {
                errors.Add(FieldError.Invalid(FieldError.NoFieldPath, null, UncheckedRulesDetail));
            }
            else
            {
                CelValidator.Validate(obj, oldObj, root, "", isResourceRoot: true, errors);
            }
        }

        return errors;
    }

    /// <summary>The real server ratchets list-type errors as a whole: they count on update only if the old object had none.</summary>
    private bool HasListErrors(JsonObject oldObj)
    {
        var errors = new List<FieldError>();
        ListTypeValidator.Validate(oldObj, root, "", errors);
        return errors.Count > 0;
    }

    private static bool IsBlocking(FieldError error) =>
        error.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid;

    private static bool HasRules(SchemaNode node) =>
        node.Rules.Count > 0
        || node.Properties.Any(p => HasRules(p.Value))
        || node.Items is not null && HasRules(node.Items)
        || node.AdditionalProperties is not null && HasRules(node.AdditionalProperties);
}
