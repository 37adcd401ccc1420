using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The reasons of the conditions. Validated and SecondaryKeyAuthorized use
/// <see cref="Authenticated"/> when True, the name of the <see cref="ProbeOutcome"/> when
/// False (<c>AuthenticationFailed</c>, <c>ConnectionRefused</c>, <c>Timeout</c>,
/// <c>NameResolutionFailed</c>, <c>HostKeyMismatch</c>, <c>ProtocolError</c>), and
/// <see cref="ValidationDisabled"/>, <see cref="ValidationPending"/> or <see cref="NotProbed"/> when Unknown.
/// </summary>
public static class ConditionReasons
{
    /// <summary>Ready True: keys published and the spec's connection in effect.</summary>
    public const string Reconciled = "Reconciled";

    /// <summary>Ready False: a Secret with the key Secret's name is not controlled by this resource; it is never overwritten.</summary>
    public const string SecretConflict = "SecretConflict";

    /// <summary>Ready False: the key Secret is unusable (missing or unparsable key, mismatched pair, bad port); deleting it regenerates keys.</summary>
    public const string SecretInvalid = "SecretInvalid";

    /// <summary>Ready False: the rotate-keys annotation is not an integer; the keys were not rotated.</summary>
    public const string InvalidRotationToken = "InvalidRotationToken";

    /// <summary>
    /// Ready False: a bump of the rotate-keys annotation waits because the latest probe says the
    /// bastion refuses key 2 (<c>spec.rotation.guard</c>); it is carried out once key 2 is accepted.
    /// </summary>
    public const string RotationBlocked = "RotationBlocked";

    /// <summary>Ready False: a bump of the rotate-keys annotation waits for the first probe of key 2 (<c>spec.rotation.guard</c>).</summary>
    public const string RotationPending = "RotationPending";

    /// <summary>
    /// Ready False: <c>spec.validate</c> is true and the spec's connection waits for its first
    /// login with key 1. Validated and SecondaryKeyAuthorized Unknown: no probe of the current
    /// keys and connection yet (new resource, spec change, rotation, restart).
    /// </summary>
    public const string ValidationPending = "ValidationPending";

    /// <summary>Ready False: the login with key 1 to the spec's connection failed; the message is the bastion's.</summary>
    public const string ValidationFailed = "ValidationFailed";

    /// <summary>Validated and SecondaryKeyAuthorized True: the bastion accepted the key.</summary>
    public const string Authenticated = "Authenticated";

    /// <summary>Validated and SecondaryKeyAuthorized Unknown: <c>spec.validate</c> is false, the bastion is never contacted.</summary>
    public const string ValidationDisabled = "ValidationDisabled";

    /// <summary>SecondaryKeyAuthorized Unknown: the probe did not get as far as trying key 2.</summary>
    public const string NotProbed = "NotProbed";
}
