using System.Security.Cryptography;
using Geralt;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Turns Ed25519 key material into the OpenSSH texts the operator stores, and checks that a
/// stored pair still belongs together.
/// </summary>
public static class Ed25519OpenSsh
{
    /// <summary>The public key for a 32-byte Ed25519 seed (RFC 8032).</summary>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[Ed25519.PublicKeySize];

        // libsodium hands back the expanded secret key with the public key; only the public key is kept.
        Span<byte> secretKey = stackalloc byte[Ed25519.PrivateKeySize];
        try
        {
            Ed25519.GenerateKeyPair(publicKey, secretKey, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }

        return publicKey;
    }

    /// <summary>
    /// The key pair for <paramref name="seed"/>: public key line and private key PEM, both
    /// carrying <paramref name="comment"/>. <paramref name="checkInt"/> is the random check value
    /// OpenSSH puts in unencrypted keys; callers draw it from the same source as the seed.
    /// </summary>
    public static KeyPair CreateKeyPair(ReadOnlySpan<byte> seed, string comment, uint checkInt)
    {
        var publicKey = DerivePublicKey(seed);
        VerifiedKeyCache.Shared.Derived(seed, publicKey);
        return new KeyPair(
            SshPublicKey.FromEd25519(publicKey, comment).ToString(),
            OpenSshPrivateKey.Format(seed, publicKey, comment, checkInt));
    }

    /// <summary>
    /// Why <paramref name="pair"/> cannot be used: a line that does not parse, a private key
    /// that does not parse, or keys that do not belong together; null when the pair is sound.
    /// </summary>
    public static string? FindProblem(KeyPair pair) => Inspect(pair, derive: true).Problem;

    /// <summary>
    /// <see cref="FindProblem"/>, and whether the private key's seed is confirmed to give its
    /// public key. Without <paramref name="derive"/> the seed is checked only against pairs made
    /// or checked in this process, since the Ed25519 derivation costs about 25 µs: a pair with no
    /// problem but not <c>Confirmed</c> may still hold a seed that does not belong to its key, and
    /// is then added to <paramref name="pending"/>, when given, to be checked later.
    /// </summary>
    internal static (string? Problem, bool Confirmed) Inspect(KeyPair pair, bool derive, PendingPairCheck? pending = null)
    {
        if (!SshPublicKey.TryParse(pair.PublicKey, out var publicKey, out var error))
        {
            return ($"public key: {error}", false);
        }

        if (publicKey.Type != SshPublicKey.Ed25519Type)
        {
            return ($"public key: expected {SshPublicKey.Ed25519Type}, found {publicKey.Type}", false);
        }

        if (!OpenSshPrivateKey.TryParse(pair.PrivateKey, out var privateKey, out error))
        {
            return ($"private key: {error}", false);
        }

        const string Mismatch = "the private key does not match the public key";
        if (!privateKey.PublicKey.SequenceEqual(publicKey.Ed25519Key))
        {
            return (Mismatch, false);
        }

        if (!derive)
        {
            var known = VerifiedKeyCache.Shared.IsKnown(privateKey.Seed, publicKey.Ed25519Key);
            if (!known)
            {
                pending?.Add(privateKey.Seed, publicKey.Ed25519Key);
            }

            return (null, known);
        }

        return VerifiedKeyCache.Shared.SeedMatches(privateKey.Seed, publicKey.Ed25519Key) ? (null, true) : (Mismatch, false);
    }
}
