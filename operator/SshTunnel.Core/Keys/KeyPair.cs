namespace SshTunnel.Core.Keys;

/// <summary>
/// One Ed25519 key pair in OpenSSH text form: <see cref="PublicKey"/> is the one-line
/// <c>ssh-ed25519 AAAA... comment</c>, <see cref="PrivateKey"/> the unencrypted
/// <c>-----BEGIN OPENSSH PRIVATE KEY-----</c> PEM. The private key must never reach status,
/// events, logs or metrics.
/// </summary>
public sealed record KeyPair(string PublicKey, string PrivateKey)
{
    /// <summary>Keeps the private key out of logs that print records.</summary>
    public override string ToString() => $"KeyPair {{ PublicKey = {PublicKey} }}";
}
