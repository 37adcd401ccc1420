namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The reasons of the Events the operator records on a connection. Each is emitted when the
/// published state changes (not on every reconcile), so a converged resource emits nothing.
/// </summary>
public static class EventReasons
{
    /// <summary>Normal: the first two key pairs were generated and published.</summary>
    public const string KeysGenerated = "KeysGenerated";

    /// <summary>Normal: an existing Secret no object controlled (left by secretPolicy Retain, or brought by a user) was adopted with its keys and rotation state.</summary>
    public const string KeysAdopted = "KeysAdopted";

    /// <summary>Normal: a rotation promoted key 2 to key 1 and generated a new key 2.</summary>
    public const string KeysRotated = "KeysRotated";

    /// <summary>Warning: the key Secret was gone, so new keys replaced published ones; the bastion needs the new public keys.</summary>
    public const string KeysRegenerated = "KeysRegenerated";

    /// <summary>Warning: the rotate-keys annotation is not an integer.</summary>
    public const string InvalidRotationToken = "InvalidRotationToken";

    /// <summary>Warning: the rotate-keys annotation holds a value below the one handled, so nothing rotates.</summary>
    public const string RotationIgnored = "RotationIgnored";

    /// <summary>Warning: a bump of the rotate-keys annotation waits until the bastion accepts key 2.</summary>
    public const string RotationBlocked = "RotationBlocked";

    /// <summary>Warning: a Secret not controlled by this resource holds the key Secret's name.</summary>
    public const string SecretConflict = "SecretConflict";

    /// <summary>Warning: the key Secret is unusable.</summary>
    public const string SecretInvalid = "SecretInvalid";

    /// <summary>Normal: the connection in effect changed (a spec change took effect).</summary>
    public const string ConnectionChanged = "ConnectionChanged";

    /// <summary>Normal: key 1 now authenticates to the bastion.</summary>
    public const string Validated = "Validated";

    /// <summary>Warning: the login with key 1 now fails.</summary>
    public const string ValidationFailed = "ValidationFailed";

    /// <summary>Normal: the bastion now accepts key 2.</summary>
    public const string SecondaryKeyAuthorized = "SecondaryKeyAuthorized";

    /// <summary>Warning: the bastion now refuses key 2; a rotation would lock the connection out.</summary>
    public const string SecondaryKeyNotAuthorized = "SecondaryKeyNotAuthorized";
}
