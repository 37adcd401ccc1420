using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The blocked path: when the key Secret is someone else's or unusable, nothing is written, the
/// published keys and connection stay as they are, and Ready (with one Warning event) says what to fix.
/// </summary>
internal static class BlockedPath
{
    /// <summary>The plan for a connection blocked for <paramref name="reason"/>; <paramref name="problem"/> opens Ready's message and is the Warning.</summary>
    public static ReconcilePlan Plan(
        ConnectionResource resource,
        ConditionFactory conditions,
        RotationToken token,
        string reason,
        string problem)
    {
        var current = resource.Status ?? new ConnectionStatus();
        var message = problem;
        if (token.Problem is { } tokenProblem)
        {
            message += " " + ReadyMessages.TokenMessage(tokenProblem, current.Rotation?.Handled);
        }

        var ready = conditions.Make(ConditionTypes.Ready, ConditionFactory.False, reason, message);
        var previousReady = conditions.Current(ConditionTypes.Ready);
        var status = current with
        {
            ObservedGeneration = resource.Generation,
            Conditions = KstatusConditions.With(
                conditions,
                ready,
                [
                    Kept(conditions, ConditionTypes.Validated, resource.Spec.Validate, reason),
                    Kept(conditions, ConditionTypes.SecondaryKeyAuthorized, resource.Spec.Validate, reason),
                ]),
        };
        var events = StatusEvents.Between(resource, KeySecretLayout.SecretName(resource.Name), resource.Status, status, token);
        if (previousReady is null || previousReady.Reason != reason || !previousReady.Message.StartsWith(problem, StringComparison.Ordinal))
        {
            events = [new PlannedEvent(EventType.Warning, reason, problem), .. events];
        }

        return new ReconcilePlan(null, status.Equals(resource.Status) ? null : status, events, null, null)
        {
            ReadSecretByName = reason == ConditionReasons.SecretConflict,
        };
    }

    /// <summary>The last value of a probe condition, or Unknown for the blocking reason when there is none, so all three are always present.</summary>
    private static Condition Kept(ConditionFactory conditions, string type, bool validate, string reason) =>
        conditions.Current(type) is { } previous
            ? conditions.Make(type, previous.Status, previous.Reason, previous.Message)
            : validate
                ? conditions.Make(type, ConditionFactory.Unknown, reason, "No keys to try yet: see the Ready condition.")
                : conditions.Make(type, ConditionFactory.Unknown, ConditionReasons.ValidationDisabled, ValidationView.DisabledMessage);
}
