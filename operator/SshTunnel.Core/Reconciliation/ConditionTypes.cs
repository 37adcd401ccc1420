namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The condition types in <c>status.conditions</c>: Ready, Validated and SecondaryKeyAuthorized
/// always, in this order, then Reconciling or Stalled while one of them is True (see <see cref="KstatusConditions"/>).
/// </summary>
public static class ConditionTypes
{
    /// <summary>Keys published, the spec's connection in effect, nothing blocking. See <see cref="ConditionReasons"/>.</summary>
    public const string Ready = "Ready";

    /// <summary>The bastion accepts key 1 for the spec's connection (Unknown when <c>spec.validate</c> is false).</summary>
    public const string Validated = "Validated";

    /// <summary>The bastion already accepts key 2, the key the next rotation promotes.</summary>
    public const string SecondaryKeyAuthorized = "SecondaryKeyAuthorized";

    /// <summary>True while the operator works towards Ready or retries (kstatus InProgress); absent otherwise.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>True while only a person can make the connection Ready (kstatus Failed); absent otherwise.</summary>
    public const string Stalled = "Stalled";
}
