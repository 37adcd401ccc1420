using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// What is known about the bastion accepting the current keys for the spec's connection: from
/// the probe of exactly these keys, connection and pin; else, after a restart, from the
/// published status when it is about the same keys, connection and generation; else pending.
/// </summary>
internal sealed record ValidationView(Condition Validated, Condition SecondaryKeyAuthorized, DateTimeOffset? LastValidationTime)
{
    public const string DisabledMessage = "spec.validate is false: the operator does not log in to the bastion.";

    public static ValidationView Of(
        ConnectionSpec spec,
        KeySecret content,
        ConnectionStatus? current,
        ProbeHistory? probe,
        ConditionFactory conditions)
    {
        var desired = spec.ToParameters();
        var target = desired.ToString();
        if (!spec.Validate)
        {
            return new ValidationView(
                conditions.Make(ConditionTypes.Validated, ConditionFactory.Unknown, ConditionReasons.ValidationDisabled, DisabledMessage),
                conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.Unknown, ConditionReasons.ValidationDisabled, DisabledMessage),
                null);
        }

        if (probe is { Result: var result })
        {
            return new ValidationView(
                Key1Condition(conditions, result.Key1, target, desired.User),
                Key2Condition(conditions, result, target, desired.User),
                StatusRules.WholeSeconds(result.CompletedAt));
        }

        var sameConnection = current is not null && current.Connection == desired;
        return new ValidationView(
            Carried(conditions, ConditionTypes.Validated, sameConnection && current!.PublicKey1 == content.Key1.PublicKey)
                ?? conditions.Make(ConditionTypes.Validated, ConditionFactory.Unknown, ConditionReasons.ValidationPending, $"Waiting for a login to {target} with key 1."),
            Carried(conditions, ConditionTypes.SecondaryKeyAuthorized, sameConnection && current!.PublicKey2 == content.Key2.PublicKey)
                ?? conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.Unknown, ConditionReasons.ValidationPending, $"Waiting for a login to {target} with key 2."),
            current?.LastValidationTime);
    }

    private static Condition Key1Condition(ConditionFactory conditions, KeyProbe key1, string target, string user) => key1 switch
    {
        { Authenticated: true } => conditions.Make(ConditionTypes.Validated, ConditionFactory.True, ConditionReasons.Authenticated, $"Logged in to {target} with key 1."),
        { Outcome: ProbeOutcome.HostKeyMismatch } => conditions.Make(ConditionTypes.Validated, ConditionFactory.False, key1.Outcome.ToString(), $"No key was offered to {target}: {Sentence(key1.Message)} Fix spec.hostKey or the bastion's host key."),
        { Outcome: ProbeOutcome.AuthenticationFailed } => conditions.Make(ConditionTypes.Validated, ConditionFactory.False, key1.Outcome.ToString(), $"The login to {target} with key 1 failed: {Sentence(key1.Message)} Add status.publicKey1 to the bastion's authorized_keys for {user}."),
        _ => conditions.Make(ConditionTypes.Validated, ConditionFactory.False, key1.Outcome.ToString(), $"The login to {target} with key 1 failed: {Sentence(key1.Message)}"),
    };

    /// <summary>The bastion's words as one sentence, whether or not they end with a full stop.</summary>
    private static string Sentence(string message)
    {
        var text = message.Trim();
        return text.Length == 0 ? "no reason given." : text.EndsWith('.') ? text : text + ".";
    }

    private static Condition Key2Condition(ConditionFactory conditions, ProbeResult result, string target, string user) => result.Key2 switch
    {
        null => conditions.Make(
            ConditionTypes.SecondaryKeyAuthorized,
            ConditionFactory.Unknown,
            ConditionReasons.NotProbed,
            result.Key1.Outcome == ProbeOutcome.HostKeyMismatch
                ? $"Key 2 was not offered to {target}: the bastion's host key does not match spec.hostKey."
                : $"Key 2 was not tried against {target}: the login with key 1 ended before it ({result.Key1.Outcome})."),
        { Authenticated: true } => conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.True, ConditionReasons.Authenticated, $"The bastion accepts key 2 for {target}, so the next rotation keeps the connection working."),
        { } key2 => conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.False, key2.Outcome.ToString(), $"The login to {target} with key 2 failed: {Sentence(result.Key2.Message)} Add status.publicKey2 to the bastion's authorized_keys for {user} before the next rotation, or the rotation locks the connection out."),
    };

    /// <summary>The published outcome, when it is about the same keys, connection and spec generation (so the same pin).</summary>
    private static Condition? Carried(ConditionFactory conditions, string type, bool stillAboutTheseKeys) =>
        stillAboutTheseKeys && conditions.Current(type) is { Status: not ConditionFactory.Unknown } previous
            && previous.ObservedGeneration == conditions.Generation
            ? conditions.Make(type, previous.Status, previous.Reason, previous.Message)
            : null;
}
