using System.Security.Cryptography;

namespace SshTunnel.Core.Keys;

/// <summary>
/// The key pairs of one Secret that were read without deriving their public keys from their
/// seeds (<see cref="Secrets.KeySecretVerdict.Of(Secrets.SecretSnapshot, out PendingPairCheck?)"/>),
/// kept so the check can run later: off a new process's LIST, where 10,000 Secrets would cost
/// 0.4 s of derivations before it is ready, and before the first decision that needs the pairs
/// confirmed, which then needs no read of the Secret. Holds the 32-byte seeds until
/// <see cref="Confirm"/> runs, and zeroes them then.
/// </summary>
public sealed class PendingPairCheck
{
    private const int KeyLength = 32;
    private const int MaxPairs = 2;

    private readonly byte[] material = new byte[MaxPairs * 2 * KeyLength];
    private readonly Lock gate = new();
    private int pairs;
    private bool? outcome;

    /// <summary>How many pairs wait for their check.</summary>
    public int Pairs
    {
        get
        {
            lock (gate)
            {
                return pairs;
            }
        }
    }

    /// <summary>
    /// Derives each pair's public key from its seed, records the pairs that belong together as
    /// checked (so the Secret's verdict, made again, confirms them), and zeroes the seeds.
    /// True when every pair belongs together; false when a seed gives another public key, which
    /// only the whole Secret, read and checked, can then report, or when the check was
    /// <see cref="Discard"/>ed. The derivations run once: callers at the same time wait for them,
    /// later ones get the same answer.
    /// </summary>
    public bool Confirm()
    {
        lock (gate)
        {
            if (outcome is { } known)
            {
                return known;
            }

            var confirmed = pairs > 0;
            for (var pair = 0; pair < pairs; pair++)
            {
                var entry = material.AsSpan(pair * 2 * KeyLength, 2 * KeyLength);
                confirmed &= VerifiedKeyCache.Shared.SeedMatches(entry[..KeyLength], entry[KeyLength..]);
            }

            Forget(confirmed);
            return confirmed;
        }
    }

    /// <summary>Zeroes the seeds without checking them: the Secret they came from is gone or replaced. A later <see cref="Confirm"/> is false.</summary>
    public void Discard()
    {
        lock (gate)
        {
            if (outcome is null)
            {
                Forget(false);
            }
        }
    }

    internal void Add(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        lock (gate)
        {
            if (seed.Length != KeyLength || publicKey.Length != KeyLength || pairs == MaxPairs || outcome is not null)
            {
                throw new ArgumentException($"A check holds at most {MaxPairs} Ed25519 pairs of {KeyLength}-byte keys, added before it runs.");
            }

            var entry = material.AsSpan(pairs * 2 * KeyLength, 2 * KeyLength);
            seed.CopyTo(entry);
            publicKey.CopyTo(entry[KeyLength..]);
            pairs++;
        }
    }

    private void Forget(bool confirmed)
    {
        CryptographicOperations.ZeroMemory(material);
        pairs = 0;
        outcome = confirmed;
    }
}
