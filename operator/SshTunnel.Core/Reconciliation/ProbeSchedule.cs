using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The probe schedule (with <c>spec.validate</c>): probe at once without a probe of exactly the
/// current connection, keys and pin; after a transient failure (see
/// <see cref="ProbeOutcomeExtensions.IsTransient(ProbeOutcome)"/>) on the failure backoff; after
/// the bastion's considered answer (authenticated, key refused, host key mismatch) at the
/// re-validation interval.
/// </summary>
internal static class ProbeSchedule
{
    /// <summary>The probe the current spec and keys call for.</summary>
    public static ProbeRequest Request(ConnectionSpec spec, KeySecret content) =>
        new(spec.ToParameters(), content.Key1.PrivateKey, content.Key2.PrivateKey, string.IsNullOrWhiteSpace(spec.HostKey) ? null : spec.HostKey.Trim());

    /// <summary>The last probe when it was of exactly <paramref name="expected"/>; null otherwise or without validation.</summary>
    public static ProbeHistory? Matching(ReconcileInput input, ProbeRequest expected) =>
        input.Resource.Spec.Validate && input.LastProbe is { } last && last.Request == expected && last.Result.Connection == expected.Connection
            ? last
            : null;

    /// <summary>Whether to probe now or when to come back.</summary>
    public static (ProbeRequest? Probe, TimeSpan? RequeueAfter) Next(ReconcileInput input, ProbeRequest expected, ProbeHistory? probe, ConnectionStatus status)
    {
        if (input.ProbeInFlight)
        {
            return (null, null);
        }

        if (probe is null)
        {
            return CarriedSuccessDue(input, status) is { } carriedDue && carriedDue > input.Now ? (null, carriedDue - input.Now) : (expected, null);
        }

        var wait = probe.Result.Key1.Outcome.IsTransient()
            ? input.ProbeRetryDelay(probe.ConsecutiveFailures)
            : input.RevalidationInterval;
        var due = probe.Result.CompletedAt + wait;
        return due <= input.Now ? (expected, null) : (null, due - input.Now);
    }

    /// <summary>
    /// After a restart (no probe known), a success carried over from the published status is
    /// re-validated on its usual schedule instead of at once, so a restarted operator does not
    /// probe every bastion in the same second.
    /// </summary>
    private static DateTimeOffset? CarriedSuccessDue(ReconcileInput input, ConnectionStatus status) =>
        input.LastProbe is null && status.LastValidationTime is { } validatedAt
            && status.Conditions.Any(c => c.Type == ConditionTypes.Validated && c.Status == ConditionFactory.True)
            ? validatedAt + input.RevalidationInterval
            : null;
}
