namespace SshTunnel.Core.Validation;

/// <summary>
/// The bounds of the wait before probing again a target whose login failed for a transient
/// reason: 10 s after the first failure, doubling, at most 10 min. The wait itself is the
/// controller's one exponential backoff, handed to Core as <see cref="Reconciliation.ReconcileInput.ProbeRetryDelay"/>.
/// </summary>
public static class ProbeBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(10);
}
