using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Remembers which (seed, public key) pairs were already found to belong together, so that
/// re-reading the same Secret on every reconcile does not redo the Ed25519 scalar
/// multiplication (about 25 µs, twice per Secret). Entries are SHA-256 digests, never key
/// material; the cache forgets everything when it grows past <see cref="Capacity"/>.
/// </summary>
internal static class VerifiedKeyCache
{
    public const int Capacity = 200_000;

    private static readonly ConcurrentDictionary<UInt128, UInt128> Verified = new();

    public static bool SeedMatches(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData([.. seed, .. publicKey], digest);
        var key = BitConverter.ToUInt128(digest[..16]);
        var check = BitConverter.ToUInt128(digest[16..]);
        if (Verified.TryGetValue(key, out var known) && known == check)
        {
            return true;
        }

        if (!Ed25519OpenSsh.DerivePublicKey(seed).AsSpan().SequenceEqual(publicKey))
        {
            return false;
        }

        if (Verified.Count >= Capacity)
        {
            Verified.Clear();
        }

        Verified[key] = check;
        return true;
    }
}
