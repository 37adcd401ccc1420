namespace SshTunnel.Core.Validation;

/// <summary>How one SSH login attempt to a bastion ended. Which outcomes are transient is decided in one place, <see cref="ProbeOutcomeExtensions.IsTransient(ProbeOutcome)"/>.</summary>
public enum ProbeOutcome
{
    /// <summary>The bastion accepted the key.</summary>
    Authenticated,

    /// <summary>The bastion refused the key (<c>Permission denied (publickey)</c>). The bastion's answer: never retried within a probe, asked again after the re-validation interval.</summary>
    AuthenticationFailed,

    /// <summary>Nothing listens on the port. Transient: retried.</summary>
    ConnectionRefused,

    /// <summary>No answer within the bound (including a listener that never speaks SSH). Transient.</summary>
    Timeout,

    /// <summary>The host name does not resolve. Transient.</summary>
    NameResolutionFailed,

    /// <summary>The bastion's host key does not match <c>spec.hostKey</c>. The bastion's answer: never retried within a probe, asked again after the re-validation interval.</summary>
    HostKeyMismatch,

    /// <summary>Any other failure of the connection or the SSH protocol. Transient.</summary>
    ProtocolError,
}
