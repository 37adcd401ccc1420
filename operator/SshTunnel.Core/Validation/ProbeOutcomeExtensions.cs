namespace SshTunnel.Core.Validation;

/// <summary>
/// The one classification of probe outcomes, used by the probe (what to try again within one
/// probe) and by the probe schedule (when to probe again).
/// </summary>
public static class ProbeOutcomeExtensions
{
    /// <summary>
    /// True for outcomes a later attempt may change on its own (refused, timeout, resolution,
    /// protocol): retried within the probe, then probed again on the failure backoff. False for
    /// the bastion's considered answers (authenticated, key refused, wrong host key): never
    /// retried, probed again after the re-validation interval or when the spec, keys or pin change.
    /// </summary>
    public static bool IsTransient(this ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.ConnectionRefused or ProbeOutcome.Timeout or ProbeOutcome.NameResolutionFailed or ProbeOutcome.ProtocolError => true,
        ProbeOutcome.Authenticated or ProbeOutcome.AuthenticationFailed or ProbeOutcome.HostKeyMismatch => false,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a probe outcome"),
    };

    /// <summary>True when any key's login in the result ended in a transient outcome.</summary>
    public static bool IsTransient(this ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Key1.Outcome.IsTransient() || (result.Key2?.Outcome.IsTransient() ?? false);
    }
}
