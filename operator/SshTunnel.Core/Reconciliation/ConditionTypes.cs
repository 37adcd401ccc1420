namespace SshTunnel.Core.Reconciliation;

/// <summary>The condition types in <c>status.conditions</c>, always published in this order.</summary>
public static class ConditionTypes
{
    /// <summary>Keys published, the spec's connection in effect, nothing blocking. See <see cref="ConditionReasons"/>.</summary>
    public const string Ready = "Ready";

    /// <summary>The bastion accepts key 1 for the spec's connection (Unknown when <c>spec.validate</c> is false).</summary>
    public const string Validated = "Validated";

    /// <summary>The bastion already accepts key 2, the key the next rotation promotes.</summary>
    public const string SecondaryKeyAuthorized = "SecondaryKeyAuthorized";
}
