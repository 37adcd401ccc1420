using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Remembers which (seed, public key) pairs were already found to belong together (or were
/// derived here when the pair was made), so that reading a Secret again (its cache verdict, the
/// read before a rotation) does not redo the Ed25519 scalar multiplication (about 25 µs, twice
/// per Secret). Entries are SHA-256 digests, never key
/// material; the cache forgets everything when it grows past <see cref="Capacity"/>.
/// </summary>
internal static class VerifiedKeyCache
{
    public const int Capacity = 200_000;

    private static readonly ConcurrentDictionary<UInt128, UInt128> Verified = new();

    public static bool SeedMatches(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        if (IsKnown(seed, publicKey))
        {
            return true;
        }

        if (!Ed25519OpenSsh.DerivePublicKey(seed).AsSpan().SequenceEqual(publicKey))
        {
            return false;
        }

        var (key, check) = Digest(seed, publicKey);
        Remember(key, check);
        return true;
    }

    /// <summary>Whether the pair was derived or checked here before, without deriving anything.</summary>
    public static bool IsKnown(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        var (key, check) = Digest(seed, publicKey);
        return Verified.TryGetValue(key, out var known) && known == check;
    }

    /// <summary>Records a pair whose public key was just derived from its seed, so reading it back costs no second derivation.</summary>
    public static void Derived(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        var (key, check) = Digest(seed, publicKey);
        Remember(key, check);
    }

    private static (UInt128 Key, UInt128 Check) Digest(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData([.. seed, .. publicKey], digest);
        return (BitConverter.ToUInt128(digest[..16]), BitConverter.ToUInt128(digest[16..]));
    }

    private static void Remember(UInt128 key, UInt128 check)
    {
        if (Verified.Count >= Capacity)
        {
            Verified.Clear();
        }

        Verified[key] = check;
    }
}
