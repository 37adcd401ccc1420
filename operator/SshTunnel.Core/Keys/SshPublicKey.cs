using System.Diagnostics.CodeAnalysis;

namespace SshTunnel.Core.Keys;

/// <summary>
/// A parsed OpenSSH public key line (<c>type base64 [comment]</c>), of any key type; Ed25519
/// keys are also checked for their exact length. Used for the connection's own keys and for
/// bastion host keys.
/// </summary>
public sealed class SshPublicKey
{
    /// <summary>The OpenSSH name of the Ed25519 key type.</summary>
    public const string Ed25519Type = "ssh-ed25519";

    private const int Ed25519KeyLength = 32;

    private readonly byte[] blob;

    private SshPublicKey(string type, byte[] blob, string comment)
    {
        Type = type;
        this.blob = blob;
        Comment = comment;
    }

    /// <summary>The key type, e.g. <c>ssh-ed25519</c>.</summary>
    public string Type { get; }

    /// <summary>The comment after the key, or empty.</summary>
    public string Comment { get; }

    /// <summary>The SSH wire-format key blob.</summary>
    public ReadOnlySpan<byte> Blob => blob;

    /// <summary>The blob in base64, as it appears in the key line.</summary>
    public string Base64 => Convert.ToBase64String(blob);

    /// <summary>The <c>SHA256:</c> fingerprint, equal to <c>ssh-keygen -l</c>'s.</summary>
    public string Fingerprint => SshFingerprint.Sha256(blob);

    /// <summary>The key line without a comment, <c>type base64</c>: what a host key pin compares.</summary>
    public string Line => $"{Type} {Base64}";

    /// <summary>The raw 32-byte Ed25519 public key; empty for other key types.</summary>
    public ReadOnlySpan<byte> Ed25519Key =>
        Type == Ed25519Type ? blob.AsSpan(blob.Length - Ed25519KeyLength) : [];

    /// <summary>The Ed25519 public key with raw key bytes <paramref name="publicKey"/>.</summary>
    public static SshPublicKey FromEd25519(ReadOnlySpan<byte> publicKey, string comment)
    {
        if (publicKey.Length != Ed25519KeyLength)
        {
            throw new ArgumentException($"An Ed25519 public key has {Ed25519KeyLength} bytes, not {publicKey.Length}.", nameof(publicKey));
        }

        return new SshPublicKey(Ed25519Type, Ed25519Blob(publicKey), comment);
    }

    /// <summary>The wire-format blob of an Ed25519 public key.</summary>
    internal static byte[] Ed25519Blob(ReadOnlySpan<byte> publicKey) =>
        new SshWireWriter().String(Ed25519Type).String(publicKey).ToArray();

    /// <summary>Reads a key from its SSH wire form (as a server presents its host key); false when it is not one.</summary>
    public static bool TryFromBlob(ReadOnlySpan<byte> blob, [NotNullWhen(true)] out SshPublicKey? key, out string error)
    {
        var reader = new SshWireReader(blob);
        if (!reader.TryString(out var type) || type.Length == 0)
        {
            key = null;
            error = "the key data does not start with a key type";
            return false;
        }

        return TryCreate(type, blob.ToArray(), "", out key, out error);
    }

    /// <summary>Parses <c>type base64 [comment]</c>; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out SshPublicKey? key, out string error)
    {
        key = null;
        var parts = (line ?? "").Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            error = "not an OpenSSH public key line (expected \"<type> <base64> [comment]\")";
            return false;
        }

        var blob = new byte[parts[1].Length];
        if (!Convert.TryFromBase64String(parts[1], blob, out var written))
        {
            error = "the key data is not valid base64";
            return false;
        }

        return TryCreate(parts[0], blob[..written], parts.Length == 3 ? parts[2].Trim() : "", out key, out error);
    }

    private static bool TryCreate(string type, byte[] blob, string comment, [NotNullWhen(true)] out SshPublicKey? key, out string error)
    {
        key = null;
        var reader = new SshWireReader(blob);
        if (!reader.TryString(out var blobType) || blobType != type)
        {
            error = $"the key data does not hold a {type} key";
            return false;
        }

        if (type == Ed25519Type
            && (!reader.TryBytes(out var raw) || raw.Length != Ed25519KeyLength || reader.Remaining.Length != 0))
        {
            error = "the key data is not a 32-byte Ed25519 key";
            return false;
        }

        key = new SshPublicKey(type, blob, comment);
        error = "";
        return true;
    }

    /// <summary>Whether both hold the same key, whatever their comments.</summary>
    public bool SameKeyAs(SshPublicKey other) => Type == other.Type && blob.AsSpan().SequenceEqual(other.blob);

    /// <summary>The key line, with the comment when there is one.</summary>
    public override string ToString() => Comment.Length == 0 ? $"{Type} {Base64}" : $"{Type} {Base64} {Comment}";
}
