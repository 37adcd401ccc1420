namespace SshTunnel.Core.Keys;

/// <summary>
/// Makes new key pairs. The operator's implementation draws the seed and check value from a
/// cryptographic RNG and encodes them with <see cref="Ed25519OpenSsh.CreateKeyPair"/>; tests
/// use a deterministic one.
/// </summary>
public interface IKeyPairSource
{
    /// <summary>A fresh Ed25519 key pair whose public key line and private key carry <paramref name="comment"/>.</summary>
    KeyPair Create(string comment);
}
