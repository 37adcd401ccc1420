using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>Which probe outcomes are worth another try.</summary>
public static class ProbeOutcomeExtensions
{
    /// <summary>
    /// True for outcomes a later attempt may change (refused, timeout, resolution, protocol);
    /// false for the bastion's considered answers (authenticated, denied, wrong host key).
    /// </summary>
    public static bool IsTransient(this ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Authenticated or ProbeOutcome.AuthenticationFailed or ProbeOutcome.HostKeyMismatch => false,
        _ => true,
    };

    /// <summary>True when any key's login in the result ended in a transient outcome.</summary>
    public static bool IsTransient(this ProbeResult result) =>
        result.Key1.Outcome.IsTransient() || (result.Key2?.Outcome.IsTransient() ?? false);
}
