using SshTunnel.Core.Model;

namespace SshTunnel.Core.Validation;

/// <summary>
/// What a bastion probe needs: where to log in, the two private keys (OpenSSH PEM), and the
/// optional host key pin (<c>ssh-ed25519 AAAA...</c> or <c>SHA256:...</c>).
/// </summary>
public sealed record ProbeRequest(
    ConnectionParameters Connection,
    string PrivateKey1,
    string? PrivateKey2,
    string? HostKeyPin)
{
    /// <summary>Keeps the private keys out of logs that print records (plans print their probe).</summary>
    public override string ToString() =>
        $"ProbeRequest {{ Connection = {Connection}, HostKeyPin = {HostKeyPin ?? "none"} }}";
}
