using SshTunnel.Core.Model;

namespace SshTunnel.Core.Validation;

/// <summary>
/// What a bastion probe needs: where to log in, the two private keys (OpenSSH PEM), and the
/// optional host key pin (<c>ssh-ed25519 AAAA...</c> or <c>SHA256:...</c>).
/// </summary>
/// <param name="Connection">Where to log in.</param>
/// <param name="PrivateKey1">Key 1, the key in use.</param>
/// <param name="PrivateKey2">Key 2, the key the next rotation promotes.</param>
/// <param name="HostKeyPin">The host key pin, or null.</param>
/// <param name="RevalidateToken">
/// The <c>sshtunnels.io/revalidate</c> value when the probe was asked for: the probe never
/// reads it; once the probe completes it is the value handled.
/// </param>
public sealed record ProbeRequest(
    ConnectionParameters Connection,
    string PrivateKey1,
    string? PrivateKey2,
    string? HostKeyPin,
    string? RevalidateToken = null)
{
    /// <summary>Whether both probes try the same keys against the same bastion and pin (the revalidate value aside).</summary>
    public bool SameTargetAs(ProbeRequest other) =>
        other is not null && Connection == other.Connection && PrivateKey1 == other.PrivateKey1
        && PrivateKey2 == other.PrivateKey2 && HostKeyPin == other.HostKeyPin;

    /// <summary>Keeps the private keys out of logs that print records (plans print their probe).</summary>
    public override string ToString() =>
        $"ProbeRequest {{ Connection = {Connection}, HostKeyPin = {HostKeyPin ?? "none"} }}";
}
