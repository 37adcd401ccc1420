using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The events a status change tells about. Derived from the difference between the published
/// status and the new one, not from the action taken, so a crash between the Secret write and
/// the status write still reports the change once the status catches up, and a converged
/// resource emits nothing.
/// </summary>
internal static class StatusEvents
{
    public static IReadOnlyList<PlannedEvent> Between(
        ConnectionResource resource,
        string secretName,
        ConnectionStatus? before,
        ConnectionStatus after,
        RotationToken token)
    {
        var events = new List<PlannedEvent>();
        var user = resource.Spec.User;
        if (before?.PublicKey1 is null && after.PublicKey1 is not null)
        {
            events.Add(new PlannedEvent(EventType.Normal, EventReasons.KeysGenerated, $"Generated two Ed25519 key pairs. Add status.publicKey1 (and status.publicKey2, for the next rotation) to the bastion's authorized_keys for {user}."));
        }
        else if ((after.Rotation?.Count ?? 0) > (before?.Rotation?.Count ?? 0))
        {
            events.Add(new PlannedEvent(EventType.Normal, EventReasons.KeysRotated, $"Rotated keys for {ResourceNames.RotateKeysAnnotation}={after.Rotation?.Handled} (rotation {after.Rotation?.Count}): key 2 is now key 1 and a new key 2 was generated. Add the new status.publicKey2 to the bastion before the next rotation."));
        }
        else if (before?.PublicKey1 is not null && after.PublicKey1 != before.PublicKey1)
        {
            events.Add(new PlannedEvent(EventType.Warning, EventReasons.KeysRegenerated, $"The key Secret {secretName} was missing, so the keys published before are gone: new key pairs were generated. Install the new status.publicKey1 and status.publicKey2 in the bastion's authorized_keys for {user}."));
        }

        if (after.Connection is { } connection && connection != before?.Connection)
        {
            var was = before?.Connection is { } previous ? $" (was {previous})" : "";
            events.Add(new PlannedEvent(EventType.Normal, EventReasons.ConnectionChanged, $"The connection in effect is now {connection}{was}."));
        }

        if (token.Problem is { } problem && !(Find(before, ConditionTypes.Ready)?.Message.Contains(problem, StringComparison.Ordinal) ?? false))
        {
            events.Add(new PlannedEvent(EventType.Warning, EventReasons.InvalidRotationToken, ReadyMessages.TokenMessage(problem, after.Rotation?.Handled)));
        }

        if (ReadyMessages.IgnoredTokenNote(token, after.Rotation?.Handled) is { } ignored
            && !(Find(before, ConditionTypes.Ready)?.Message.Contains(ignored, StringComparison.Ordinal) ?? false))
        {
            events.Add(new PlannedEvent(EventType.Warning, EventReasons.RotationIgnored, ignored));
        }

        if (Find(after, ConditionTypes.Ready) is { Reason: ConditionReasons.RotationBlocked } blocked
            && Find(before, ConditionTypes.Ready) is not { Reason: ConditionReasons.RotationBlocked })
        {
            events.Add(new PlannedEvent(EventType.Warning, EventReasons.RotationBlocked, blocked.Message));
        }

        AddOutcomeChange(events, Find(before, ConditionTypes.Validated), Find(after, ConditionTypes.Validated), EventReasons.Validated, EventReasons.ValidationFailed);
        AddOutcomeChange(events, Find(before, ConditionTypes.SecondaryKeyAuthorized), Find(after, ConditionTypes.SecondaryKeyAuthorized), EventReasons.SecondaryKeyAuthorized, EventReasons.SecondaryKeyNotAuthorized);
        return events;
    }

    private static Condition? Find(ConnectionStatus? status, string type) => status?.Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>An event when a probe outcome becomes True or False, or fails for a new reason; Unknown (pending) is not news.</summary>
    private static void AddOutcomeChange(List<PlannedEvent> events, Condition? before, Condition? after, string successReason, string failureReason)
    {
        if (after is null || after.Status == ConditionFactory.Unknown
            || (before is not null && before.Status == after.Status && before.Reason == after.Reason))
        {
            return;
        }

        events.Add(after.Status == ConditionFactory.True
            ? new PlannedEvent(EventType.Normal, successReason, after.Message)
            : new PlannedEvent(EventType.Warning, failureReason, after.Message));
    }
}
