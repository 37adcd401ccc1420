using Org.BouncyCastle.Crypto.Parameters;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Turns Ed25519 key material into the OpenSSH texts the operator stores, and checks that a
/// stored pair still belongs together.
/// </summary>
public static class Ed25519OpenSsh
{
    /// <summary>The public key for a 32-byte Ed25519 seed (RFC 8032).</summary>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> seed) =>
        new Ed25519PrivateKeyParameters(seed.ToArray()).GeneratePublicKey().GetEncoded();

    /// <summary>
    /// The key pair for <paramref name="seed"/>: public key line and private key PEM, both
    /// carrying <paramref name="comment"/>. <paramref name="checkInt"/> is the random check value
    /// OpenSSH puts in unencrypted keys; callers draw it from the same source as the seed.
    /// </summary>
    public static KeyPair CreateKeyPair(ReadOnlySpan<byte> seed, string comment, uint checkInt)
    {
        var publicKey = DerivePublicKey(seed);
        VerifiedKeyCache.Derived(seed, publicKey);
        return new KeyPair(
            SshPublicKey.FromEd25519(publicKey, comment).ToString(),
            OpenSshPrivateKey.Format(seed, publicKey, comment, checkInt));
    }

    /// <summary>
    /// Why <paramref name="pair"/> cannot be used: a line that does not parse, a private key
    /// that does not parse, or keys that do not belong together; null when the pair is sound.
    /// </summary>
    public static string? FindProblem(KeyPair pair)
    {
        if (!SshPublicKey.TryParse(pair.PublicKey, out var publicKey, out var error))
        {
            return $"public key: {error}";
        }

        if (publicKey.Type != SshPublicKey.Ed25519Type)
        {
            return $"public key: expected {SshPublicKey.Ed25519Type}, found {publicKey.Type}";
        }

        if (!OpenSshPrivateKey.TryParse(pair.PrivateKey, out var privateKey, out error))
        {
            return $"private key: {error}";
        }

        if (!privateKey.PublicKey.SequenceEqual(publicKey.Ed25519Key)
            || !VerifiedKeyCache.SeedMatches(privateKey.Seed, publicKey.Ed25519Key))
        {
            return "the private key does not match the public key";
        }

        return null;
    }
}
