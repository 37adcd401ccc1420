using Cel;

namespace Kube.Emulator.Schema;

/// <summary>
/// One compiled <c>x-kubernetes-validations</c> rule of a schema node.
/// </summary>
internal sealed record CelRule(
    string Rule,
    string Message,
    CelProgramDelegate Program,
    CelProgramDelegate? MessageProgram,
    string? FieldPath,
    FieldErrorType? Reason,
    bool UsesOldSelf)
{
    /// <summary>The text the server puts in errors about this rule: its message, else the rule itself.</summary>
    public string ErrorString => Message.Length > 0 ? Message.Trim() : Rule.Trim();

    /// <summary>The detail of a failure when no message expression gives one.</summary>
    public string MessageOrDefault => Message.Length > 0 ? Message.Trim() : "failed rule: " + ErrorString;
}
