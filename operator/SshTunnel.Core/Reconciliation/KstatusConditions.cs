using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The kstatus rule: beside Ready, at most one of <c>Reconciling</c> and <c>Stalled</c>, each
/// present only while True (kstatus's "abnormal-true" polarity, where absence means False, and
/// Flux's practice of deleting them when they stop holding). Ready True: neither, so kstatus reads
/// Current. A problem only a person can fix (the Secret, the annotation, the bastion refusing key 1
/// or presenting another host key): Stalled, so kstatus reads Failed at once instead of waiting
/// for a timeout. Anything the operator is still working on or retrying: Reconciling (InProgress).
/// Both carry the reason of what is in the way and Ready's message.
/// </summary>
internal static class KstatusConditions
{
    private static readonly HashSet<string> PermanentReadyReasons =
    [
        ConditionReasons.SecretConflict,
        ConditionReasons.SecretInvalid,
        ConditionReasons.InvalidRotationToken,
        ConditionReasons.RotationBlocked,
    ];

    private static readonly HashSet<string> PermanentProbeOutcomes =
    [
        nameof(ProbeOutcome.AuthenticationFailed),
        nameof(ProbeOutcome.HostKeyMismatch),
    ];

    /// <summary>The conditions to publish: Ready, the others as given, then Reconciling or Stalled when one holds.</summary>
    public static IReadOnlyList<Condition> With(ConditionFactory conditions, Condition ready, IEnumerable<Condition> others)
    {
        var published = new List<Condition> { ready };
        published.AddRange(others.Where(c => c.Type is not ConditionTypes.Reconciling and not ConditionTypes.Stalled));
        if (ready.Status != ConditionFactory.True)
        {
            published.Add(Abnormal(conditions, ready, published.FirstOrDefault(c => c.Type == ConditionTypes.Validated)));
        }

        return published;
    }

    private static Condition Abnormal(ConditionFactory conditions, Condition ready, Condition? validated)
    {
        if (PermanentReadyReasons.Contains(ready.Reason))
        {
            return conditions.Make(ConditionTypes.Stalled, ConditionFactory.True, ready.Reason, ready.Message);
        }

        if (ready.Reason == ConditionReasons.ValidationFailed && validated is { Status: ConditionFactory.False } failed)
        {
            return PermanentProbeOutcomes.Contains(failed.Reason)
                ? conditions.Make(ConditionTypes.Stalled, ConditionFactory.True, failed.Reason, ready.Message)
                : conditions.Make(ConditionTypes.Reconciling, ConditionFactory.True, failed.Reason, ready.Message);
        }

        return conditions.Make(ConditionTypes.Reconciling, ConditionFactory.True, ready.Reason, ready.Message);
    }
}
