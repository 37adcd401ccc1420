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
    public static ValidationView Of(
        ConnectionSpec spec,
        KeySecret content,
        ConnectionStatus? current,
        ProbeHistory? probe,
        ConditionFactory conditions)
    {
        var desired = spec.ToParameters();
        var target = ReadyMessages.Describe(desired);
        if (!spec.Validate)
        {
            const string Disabled = "spec.validate is false: the operator does not log in to the bastion.";
            return new ValidationView(
                conditions.Make(ConditionTypes.Validated, ConditionFactory.Unknown, ConditionReasons.ValidationDisabled, Disabled),
                conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.Unknown, ConditionReasons.ValidationDisabled, Disabled),
                null);
        }

        if (probe is { Result: var result })
        {
            return new ValidationView(
                Key1Condition(conditions, result.Key1, target, desired.User),
                Key2Condition(conditions, result.Key2, target, desired.User),
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
        { Outcome: ProbeOutcome.AuthenticationFailed } => conditions.Make(ConditionTypes.Validated, ConditionFactory.False, key1.Outcome.ToString(), $"The login to {target} with key 1 failed: {Sentence(key1.Message)} Add status.publicKey1 to the bastion's authorized_keys for {user}."),
        _ => conditions.Make(ConditionTypes.Validated, ConditionFactory.False, key1.Outcome.ToString(), $"The login to {target} with key 1 failed: {Sentence(key1.Message)}"),
    };

    /// <summary>The bastion's words as one sentence, whether or not they end with a full stop.</summary>
    private static string Sentence(string message)
    {
        var text = message.Trim();
        return text.Length == 0 ? "no reason given." : text.EndsWith('.') ? text : text + ".";
    }

    private static Condition Key2Condition(ConditionFactory conditions, KeyProbe? key2, string target, string user) => key2 switch
    {
        null => conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.Unknown, ConditionReasons.NotProbed, $"Key 2 was not tried against {target}."),
        { Authenticated: true } => conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.True, ConditionReasons.Authenticated, $"The bastion accepts key 2 for {target}, so the next rotation keeps the connection working."),
        _ => conditions.Make(ConditionTypes.SecondaryKeyAuthorized, ConditionFactory.False, key2.Outcome.ToString(), $"The login to {target} with key 2 failed: {Sentence(key2.Message)} Add status.publicKey2 to the bastion's authorized_keys for {user} before the next rotation, or the rotation locks the connection out."),
    };

    /// <summary>The published outcome, when it is about the same keys, connection and spec generation (so the same pin).</summary>
    private static Condition? Carried(ConditionFactory conditions, string type, bool stillAboutTheseKeys) =>
        stillAboutTheseKeys && conditions.Current(type) is { Status: not ConditionFactory.Unknown } previous
            && previous.ObservedGeneration == conditions.Generation
            ? conditions.Make(type, previous.Status, previous.Reason, previous.Message)
            : null;
}
