using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;

namespace Kube.Emulator.Strategies;

/// <summary>Applies a CRD version's structural schema to custom resources: pruning (or strict refusal), defaults, validation.</summary>
internal static class CustomResourceSchemas
{
    public static void Admit(ResourceType type, JsonObject obj, WriteOptions options)
    {
        if (type.Custom?.Schema is not { } schema)
        {
            return;
        }

        var unknown = schema.Prune(obj);
        if (unknown.Count > 0)
        {
            if (options.FieldValidation == "Strict")
            {
                throw ApiErrors.BadRequest(type.Kind + " in version \"" + type.Version + "\" cannot be handled as a " + type.Kind + ": strict decoding error: " + string.Join(", ", unknown.Select(path => "unknown field \"" + path + "\"")));
            }

            if (options.FieldValidation == "Warn")
            {
                options.Warnings.AddRange(unknown.Select(path => "unknown field \"" + path + "\""));
            }
        }

        schema.ApplyDefaults(obj);
    }

    public static IEnumerable<FieldProblem> Validate(ResourceType type, JsonObject obj, JsonObject? old) =>
        type.Custom?.Schema is { } schema
            ? schema.Validate(obj, old).Select(error => new FieldProblem(error.Path, error.CauseReason, error.Body))
            : [];
}
