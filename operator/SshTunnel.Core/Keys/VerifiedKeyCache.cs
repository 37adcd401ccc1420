using System.Security.Cryptography;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Remembers which (seed, public key) pairs were already found to belong together (or were
/// derived here when the pair was made), so that reading a Secret again (its cache verdict, the
/// read before a rotation) does not redo the Ed25519 scalar multiplication (about 25 µs, twice
/// per Secret). Entries are SHA-256 digests, never key material. Bounded by two generations:
/// when the recent one is full it becomes the older one and the previous older one is dropped,
/// and a pair found in the older one moves back to the recent one, so the pairs in use stay
/// and at most twice <see cref="GenerationCapacity"/> entries (about 64 bytes each) are held.
/// </summary>
internal sealed class VerifiedKeyCache(int generationCapacity)
{
    /// <summary>The pairs of this process (20,000 for 10,000 connections, one more per rotation).</summary>
    public static VerifiedKeyCache Shared { get; } = new(65_536);

    private readonly Lock gate = new();
    private Dictionary<UInt128, UInt128> recent = [];
    private Dictionary<UInt128, UInt128> older = [];

    public int GenerationCapacity { get; } = generationCapacity;

    public bool SeedMatches(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        if (IsKnown(seed, publicKey))
        {
            return true;
        }

        if (!Ed25519OpenSsh.DerivePublicKey(seed).AsSpan().SequenceEqual(publicKey))
        {
            return false;
        }

        Derived(seed, publicKey);
        return true;
    }

    /// <summary>Records a pair whose public key was just derived from its seed, so reading it back costs no second derivation.</summary>
    public void Derived(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        var (key, check) = Digest(seed, publicKey);
        lock (gate)
        {
            Remember(key, check);
        }
    }

    /// <summary>Whether the pair was derived or checked here before and not yet forgotten, without deriving anything.</summary>
    public bool IsKnown(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        var (key, check) = Digest(seed, publicKey);
        lock (gate)
        {
            if (recent.TryGetValue(key, out var known))
            {
                return known == check;
            }

            if (older.Remove(key, out known) && known == check)
            {
                Remember(key, check);
                return true;
            }

            return false;
        }
    }

    private static (UInt128 Key, UInt128 Check) Digest(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        // Both are 32 bytes once parsed: on the stack, since this runs for every Secret read.
        var length = seed.Length + publicKey.Length;
        var pair = length <= 128 ? stackalloc byte[128] : new byte[length];
        pair = pair[..length];
        seed.CopyTo(pair);
        publicKey.CopyTo(pair[seed.Length..]);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(pair, digest);
        return (BitConverter.ToUInt128(digest[..16]), BitConverter.ToUInt128(digest[16..]));
    }

    private void Remember(UInt128 key, UInt128 check)
    {
        recent[key] = check;
        if (recent.Count >= GenerationCapacity)
        {
            older = recent;
            recent = [];
        }
    }
}
