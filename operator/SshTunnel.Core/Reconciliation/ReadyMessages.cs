using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The Ready rule and the words users read: Ready is True only when the keys are published and
/// the spec's connection is in effect (and accepted, with validation); otherwise its reason is
/// the first problem and its message names every problem and what to do about it.
/// </summary>
internal static class ReadyMessages
{
    public static Condition Ready(
        ConditionFactory conditions,
        KeySecret content,
        ConnectionParameters desired,
        bool validate,
        RotationToken token,
        (string Reason, string Message)? rotationWaits,
        ValidationView validation)
    {
        var problems = new List<(string Reason, string Message)>();
        if (token.Problem is { } tokenProblem)
        {
            problems.Add((ConditionReasons.InvalidRotationToken, TokenMessage(tokenProblem, content.Rotation.Handled)));
        }

        if (rotationWaits is { } waits)
        {
            problems.Add(waits);
        }

        var validated = validation.Validated;
        if (validate && content.Connection != desired)
        {
            var inEffect = content.Connection is { } previous
                ? $"The connection in effect stays {previous}."
                : "No connection is in effect yet.";
            problems.Add(validated.Status == ConditionFactory.False
                ? (ConditionReasons.ValidationFailed, $"The connection {desired} is not in effect yet. {validated.Message} {inEffect}")
                : (ConditionReasons.ValidationPending, $"The connection {desired} takes effect after a successful login with key 1 (status.publicKey1 must be in the bastion's authorized_keys for {desired.User}). {inEffect}"));
        }
        else if (validate && validated.Status == ConditionFactory.False)
        {
            var what = validated.Reason == nameof(ProbeOutcome.HostKeyMismatch)
                ? "the bastion's host key does not match spec.hostKey, so no key was offered"
                : "key 1 is not accepted";
            problems.Add((ConditionReasons.ValidationFailed, $"The connection {desired} is in effect but {what}. {validated.Message}"));
        }

        var ignored = IgnoredTokenNote(token, content.Rotation.Handled);
        if (problems.Count > 0)
        {
            var message = string.Join(" ", problems.Select(p => p.Message));
            return conditions.Make(ConditionTypes.Ready, ConditionFactory.False, problems[0].Reason, ignored is null ? message : $"{message} {ignored}");
        }

        var detail = !validate
            ? "validation is disabled"
            : validated.Status == ConditionFactory.True ? "key 1 is authorized" : "re-validation is pending";
        return conditions.Make(ConditionTypes.Ready, ConditionFactory.True, ConditionReasons.Reconciled, $"Keys published; the connection {desired} is in effect; {detail}." + (ignored is null ? "" : $" {ignored}"));
    }

    /// <summary>
    /// What Ready adds while the annotation holds a value below the one handled (a GitOps revert,
    /// a typo): nothing rotates, and the note (with its one event) says so.
    /// </summary>
    public static string? IgnoredTokenNote(RotationToken token, string? handled) =>
        token.Value is { } value && RotationToken.Parse(handled).Value is { } last && value < last
            ? $"The value {token.Raw} of {ResourceNames.RotateKeysAnnotation} is not greater than the handled {handled}, so it rotates nothing; set a greater integer to rotate."
            : null;

    public static string TokenMessage(string tokenProblem, string? handled) =>
        $"The keys were not rotated: {tokenProblem}." + (handled is null ? "" : $" The last handled value is {handled}; set a greater integer to rotate.");
}
