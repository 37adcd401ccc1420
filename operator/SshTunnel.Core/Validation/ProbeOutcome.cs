namespace SshTunnel.Core.Validation;

/// <summary>How one SSH login attempt to a bastion ended.</summary>
public enum ProbeOutcome
{
    /// <summary>The bastion accepted the key.</summary>
    Authenticated,

    /// <summary>The bastion refused the key (<c>Permission denied (publickey)</c>). Never retried.</summary>
    AuthenticationFailed,

    /// <summary>Nothing listens on the port. Transient: retried.</summary>
    ConnectionRefused,

    /// <summary>No answer within the bound (including a listener that never speaks SSH). Transient.</summary>
    Timeout,

    /// <summary>The host name does not resolve. Transient.</summary>
    NameResolutionFailed,

    /// <summary>The bastion's host key does not match <c>spec.hostKey</c>. Never retried.</summary>
    HostKeyMismatch,

    /// <summary>Any other failure of the connection or the SSH protocol. Transient.</summary>
    ProtocolError,
}
