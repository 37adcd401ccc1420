using SshTunnel.Core.Keys;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>Everything one decision needs; the operator gathers it from its caches.</summary>
/// <param name="Resource">The connection resource.</param>
/// <param name="Secret">Its key Secret (<c>&lt;name&gt;-ssh-keys</c>), or null when none exists.</param>
/// <param name="LastProbe">The latest probe of this resource and what led to it, or null when none ran since the operator started.</param>
/// <param name="Now">The current time (from the operator's <see cref="TimeProvider"/>).</param>
/// <param name="KeyPairs">Where new key pairs come from.</param>
/// <param name="RecheckDelay">
/// The wait before probing again after that many probes in a row (1 or more) found something
/// wrong (a key refused, no answer, a wrong host key): seconds, growing, capped well below
/// <see cref="RevalidationInterval"/>, so a bastion being fixed shows up in status soon. The
/// operator passes the controller's one <c>ExponentialBackoff</c>.
/// </param>
public sealed record ReconcileInput(
    ConnectionResource Resource,
    SecretSnapshot? Secret,
    ProbeHistory? LastProbe,
    DateTimeOffset Now,
    IKeyPairSource KeyPairs,
    Func<int, TimeSpan> RecheckDelay)
{
    /// <summary>The default for <see cref="RevalidationInterval"/>.</summary>
    public static readonly TimeSpan DefaultRevalidationInterval = TimeSpan.FromMinutes(10);

    /// <summary>How long a successful validation of the connection in effect holds before it is repeated.</summary>
    public TimeSpan RevalidationInterval { get; init; } = DefaultRevalidationInterval;

    /// <summary>
    /// Whether a probe of this resource is running now; the decision then asks for no other
    /// probe, since the operator re-runs the decision when the probe completes.
    /// </summary>
    public bool ProbeInFlight { get; init; }
}
