using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.Secrets;

/// <summary>
/// What a cache may remember of a key Secret instead of its data: whether
/// <see cref="KeySecretCodec.Read(SecretSnapshot)"/> accepts it, whether each private key is
/// confirmed to belong to its public key, whether it already holds exactly the data and
/// annotations the operator would write for that content, a digest of its public content (both
/// public keys, the connection in effect, the rotation state) and its <c>known_hosts</c> line.
/// No private key and nothing derived from one goes in. A decision on a Secret known only by its
/// verdict takes the public content from the connection's status when the pairs are confirmed
/// and the digest says status already shows exactly this Secret, and asks for the whole Secret
/// otherwise (<see cref="Reconciliation.ReconcilePlan.NeedsWholeSecret"/>).
/// </summary>
/// <remarks>
/// The verdict never derives a public key from a seed (about 21 µs each, two per Secret: 0.4 s of
/// CPU for the LIST of 10,000 Secrets before a restarted operator is ready). It confirms the
/// pairs this process made or already checked; the others it hands back as a
/// <see cref="PendingPairCheck"/>, which a new process runs after ready, before a decision needs
/// the pairs, instead of reading each Secret again.
/// </remarks>
/// <param name="Readable">Whether the codec reads the Secret (its type, keys, connection and annotations are valid, each private key holds its public key) without deriving a public key.</param>
/// <param name="PairsConfirmed">Whether both private keys' seeds are known to give their public keys (pairs made or checked by this process).</param>
/// <param name="Canonical">Whether the Secret's data and annotations are exactly what the operator writes for its content, so an unchanged content needs no write.</param>
/// <param name="Digest">The SHA-256 digest (first 128 bits) of the public content; zero when not <paramref name="Readable"/>.</param>
/// <param name="KnownHosts">The pinned host key line, which status shows only as a fingerprint.</param>
public readonly record struct KeySecretVerdict(bool Readable, bool PairsConfirmed, bool Canonical, UInt128 Digest, string? KnownHosts)
{
    /// <summary>Stands in for a private key the verdict does not know; a plan that would use one asks for the whole Secret.</summary>
    internal const string UnknownPrivateKey = "";

    /// <summary>The verdict on a whole Secret.</summary>
    public static KeySecretVerdict Of(SecretSnapshot secret) => Of(secret, pending: null);

    /// <summary>
    /// The verdict on a whole Secret, and, when it is readable but its pairs are not
    /// <see cref="PairsConfirmed"/>, the check that would confirm them
    /// (<paramref name="pending"/>; null otherwise). Once the check confirms them, the verdict
    /// made again, or this one with <see cref="PairsConfirmed"/> set, holds for this Secret.
    /// </summary>
    public static KeySecretVerdict Of(SecretSnapshot secret, out PendingPairCheck? pending)
    {
        var check = new PendingPairCheck();
        var verdict = Of(secret, check);
        pending = verdict is { Readable: true, PairsConfirmed: false } ? check : null;
        if (pending is null)
        {
            check.Discard();
        }

        return verdict;
    }

    private static KeySecretVerdict Of(SecretSnapshot secret, PendingPairCheck? pending)
    {
        if (KeySecretCodec.Read(secret, derive: false, out var pairsConfirmed, pending).Secret is not { } content)
        {
            return new KeySecretVerdict(false, false, false, UInt128.Zero, null);
        }

        var rebuilt = KeySecretCodec.Build("", "", "", content, secret);
        return new KeySecretVerdict(true, pairsConfirmed, rebuilt.HoldsDataAndAnnotationsOf(secret), DigestOf(content), content.KnownHosts);
    }

    /// <summary>
    /// The verdict on a Secret holding exactly what <see cref="KeySecretCodec.Build"/> writes for
    /// <paramref name="content"/>, without reading it back: readable, canonical, and with pairs
    /// confirmed, since Core plans a write only of key pairs it generated or checked (a whole
    /// Secret is read with its seeds derived); the same verdict <see cref="Of(SecretSnapshot)"/> gives that Secret.
    /// </summary>
    internal static KeySecretVerdict OfWritten(KeySecret content) => new(true, true, true, DigestOf(content), content.KnownHosts);

    /// <summary>
    /// The Secret's content as far as status shows it, when the digest confirms that
    /// <paramref name="status"/> publishes exactly this Secret's public content; the private keys
    /// are <see cref="UnknownPrivateKey"/>. Null when the Secret is unreadable or status shows
    /// something else (a new resource, a rotation not yet published, an edited Secret), and
    /// when its pairs are not <see cref="PairsConfirmed"/>.
    /// </summary>
    internal KeySecret? Recall(ConnectionStatus? status)
    {
        if (!Readable || !PairsConfirmed || status is not { PublicKey1: { } publicKey1, PublicKey2: { } publicKey2, Rotation: { } rotation })
        {
            return null;
        }

        var content = new KeySecret(
            new KeyPair(publicKey1, UnknownPrivateKey),
            new KeyPair(publicKey2, UnknownPrivateKey),
            status.Connection,
            KnownHosts,
            new RotationStatus { Handled = rotation.Handled, Count = rotation.Count, LastRotationTime = rotation.LastRotationTime });
        return DigestOf(content) == Digest ? content : null;
    }

    private static UInt128 DigestOf(KeySecret content)
    {
        // Each field length-prefixed, so no two contents share a text.
        var text = new StringBuilder();
        foreach (var field in (ReadOnlySpan<string?>)[
            content.Key1.PublicKey,
            content.Key2.PublicKey,
            content.Connection?.Host,
            content.Connection?.Port.ToString(CultureInfo.InvariantCulture),
            content.Connection?.User,
            content.Rotation.Handled,
            content.Rotation.Count.ToString(CultureInfo.InvariantCulture),
            content.Rotation.LastRotationTime?.UtcTicks.ToString(CultureInfo.InvariantCulture)])
        {
            text.Append(field is null ? "-" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }
}
