using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The probe schedule (with <c>spec.validate</c>): probe at once without a probe of exactly the
/// current connection, keys and pin, or when the <c>sshtunnels.io/revalidate</c> annotation holds
/// a value not handled yet; while anything is wrong (Validated or SecondaryKeyAuthorized False)
/// again on the short re-check backoff (<see cref="ReconcileInput.RecheckDelay"/>); once the
/// bastion accepts both keys, at the re-validation interval.
/// </summary>
internal static class ProbeSchedule
{
    /// <summary>The probe the current spec, keys and revalidate annotation call for.</summary>
    public static ProbeRequest Request(ConnectionResource resource, KeySecret content) =>
        new(
            resource.Spec.ToParameters(),
            content.Key1.PrivateKey,
            content.Key2.PrivateKey,
            string.IsNullOrWhiteSpace(resource.Spec.HostKey) ? null : resource.Spec.HostKey.Trim(),
            resource.Annotations.GetValueOrDefault(ResourceNames.RevalidateAnnotation));

    /// <summary>The last probe when it was of exactly <paramref name="expected"/>'s target; null otherwise or without validation.</summary>
    public static ProbeHistory? Matching(ReconcileInput input, ProbeRequest expected) =>
        input.Resource.Spec.Validate && input.LastProbe is { } last && last.Request.SameTargetAs(expected) && last.Result.Connection == expected.Connection
            ? last
            : null;

    /// <summary>
    /// The revalidate value the latest probe answered; after a restart (no probe known) the one
    /// published, so a restart never probes again for a value already handled.
    /// </summary>
    public static string? RevalidateHandled(ReconcileInput input) =>
        input.LastProbe is { } last ? last.Request.RevalidateToken : input.Resource.Status?.Revalidation?.Handled;

    /// <summary>Whether to probe now, when to come back, and when the next probe is due (<c>status.nextValidationTime</c>).</summary>
    public static (ProbeRequest? Probe, TimeSpan? RequeueAfter, DateTimeOffset? NextValidationTime) Next(
        ReconcileInput input, ProbeRequest expected, ProbeHistory? probe, ConnectionStatus status)
    {
        var carriedDue = input.LastProbe is null ? CarriedDue(input, status) : null;
        var nextValidation = input.LastProbe is { } last ? StatusRules.WholeSeconds(Due(input, last)) : carriedDue;
        if (input.ProbeInFlight)
        {
            return (null, null, nextValidation);
        }

        var revalidate = expected.RevalidateToken is { } token && token != RevalidateHandled(input);
        if (probe is null || revalidate)
        {
            return !revalidate && carriedDue is { } due && due > input.Now
                ? (null, due - input.Now, nextValidation)
                : (expected, null, nextValidation);
        }

        var probeDue = Due(input, probe);
        return probeDue <= input.Now ? (expected, null, nextValidation) : (null, probeDue - input.Now, nextValidation);
    }

    private static DateTimeOffset Due(ReconcileInput input, ProbeHistory probe) =>
        probe.Result.CompletedAt + (probe.AllKeysAccepted ? input.RevalidationInterval : input.RecheckDelay(probe.ConsecutiveFailures));

    /// <summary>
    /// After a restart (no probe known), while the published outcome still stands (same keys,
    /// connection and generation), the published schedule is kept, so a restarted operator does
    /// not probe every bastion in the same second; a status from before that schedule was
    /// published re-validates a success from <c>status.lastValidationTime</c>.
    /// </summary>
    private static DateTimeOffset? CarriedDue(ReconcileInput input, ConnectionStatus status)
    {
        var validated = status.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Validated);
        if (validated is null || validated.Status == ConditionFactory.Unknown)
        {
            return null;
        }

        return input.Resource.Status?.NextValidationTime
            ?? (validated.Status == ConditionFactory.True && status.LastValidationTime is { } validatedAt ? validatedAt + input.RevalidationInterval : null);
    }
}
