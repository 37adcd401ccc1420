namespace SshTunnel.Core.Keys;

/// <summary>What a <c>known_hosts</c> file says about the host key a bastion presented.</summary>
public enum HostKeyVerdict
{
    /// <summary>A line for this host holds the presented key.</summary>
    Trusted,

    /// <summary>There is no known_hosts at all: the key is accepted unverified and that is reported.</summary>
    Unverified,

    /// <summary>Lines for this host exist, none holds the presented key: refused.</summary>
    Mismatch,

    /// <summary>known_hosts exists but has no line for this host: refused (OpenSSH's StrictHostKeyChecking=yes).</summary>
    NotListed,

    /// <summary>A <c>@revoked</c> line holds the presented key: refused.</summary>
    Revoked,
}
