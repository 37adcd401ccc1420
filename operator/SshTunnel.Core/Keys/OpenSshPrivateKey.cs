using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SshTunnel.Core.Keys;

/// <summary>
/// An unencrypted Ed25519 private key in OpenSSH's <c>openssh-key-v1</c> format, the PEM that
/// <c>ssh-keygen</c> writes and <c>ssh-keygen -y</c> and SSH.NET read.
/// </summary>
public sealed class OpenSshPrivateKey
{
    private const string Header = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string Footer = "-----END OPENSSH PRIVATE KEY-----";
    private const string None = "none";
    private const int LineWidth = 70;
    private const int BlockSize = 8;
    private const int KeyLength = 32;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("openssh-key-v1\0");

    private readonly byte[] seed;
    private readonly byte[] publicKey;

    private OpenSshPrivateKey(byte[] seed, byte[] publicKey, string comment, uint checkInt)
    {
        this.seed = seed;
        this.publicKey = publicKey;
        Comment = comment;
        CheckInt = checkInt;
    }

    /// <summary>The 32-byte Ed25519 seed (the secret).</summary>
    public ReadOnlySpan<byte> Seed => seed;

    /// <summary>The 32-byte Ed25519 public key stored next to the seed.</summary>
    public ReadOnlySpan<byte> PublicKey => publicKey;

    /// <summary>The key's comment.</summary>
    public string Comment { get; }

    /// <summary>The check value, which lets <see cref="Format"/> reproduce the text exactly.</summary>
    public uint CheckInt { get; }

    /// <summary>
    /// Encodes the key as ssh-keygen does: cipher and KDF <c>none</c>, the check value twice,
    /// padding 1, 2, 3..., base64 wrapped at 70 columns.
    /// </summary>
    public static string Format(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, string comment, uint checkInt)
    {
        if (seed.Length != KeyLength || publicKey.Length != KeyLength)
        {
            throw new ArgumentException($"An Ed25519 seed and public key have {KeyLength} bytes each.");
        }

        var privateSection = new SshWireWriter()
            .UInt32(checkInt)
            .UInt32(checkInt)
            .String(SshPublicKey.Ed25519Type)
            .String(publicKey)
            .String([.. seed, .. publicKey])
            .String(comment);
        for (byte pad = 1; privateSection.Length % BlockSize != 0; pad++)
        {
            privateSection.Byte(pad);
        }

        var body = new SshWireWriter()
            .Raw(Magic)
            .String(None)
            .String(None)
            .String([])
            .UInt32(1)
            .String(SshPublicKey.Ed25519Blob(publicKey))
            .String(privateSection.ToArray())
            .ToArray();

        var base64 = Convert.ToBase64String(body);
        var text = new StringBuilder(Header).Append('\n');
        for (var start = 0; start < base64.Length; start += LineWidth)
        {
            text.Append(base64, start, Math.Min(LineWidth, base64.Length - start)).Append('\n');
        }

        return text.Append(Footer).Append('\n').ToString();
    }

    /// <summary>
    /// Parses an unencrypted Ed25519 OpenSSH private key, checking every structural rule
    /// (check values, key lengths, the public key stored twice, padding).
    /// </summary>
    public static bool TryParse(string? pem, [NotNullWhen(true)] out OpenSshPrivateKey? key, out string error)
    {
        key = null;
        var text = (pem ?? "").AsSpan().Trim();
        if (!text.StartsWith(Header, StringComparison.Ordinal) || !text.EndsWith(Footer, StringComparison.Ordinal))
        {
            error = "not an OpenSSH private key (BEGIN/END OPENSSH PRIVATE KEY lines missing)";
            return false;
        }

        // The decoder skips the armour's line breaks itself: no copy of the text without them.
        var armoured = text[Header.Length..^Footer.Length];
        var body = new byte[armoured.Length];
        if (!Convert.TryFromBase64Chars(armoured, body, out var written))
        {
            error = "the private key body is not valid base64";
            return false;
        }

        error = Decode(body.AsSpan(0, written), out key);
        return key is not null;
    }

    private static string Decode(ReadOnlySpan<byte> body, out OpenSshPrivateKey? key)
    {
        key = null;
        if (!body.StartsWith(Magic))
        {
            return "the private key is not in openssh-key-v1 format";
        }

        var reader = new SshWireReader(body[Magic.Length..]);
        if (!reader.TryString(out var cipher) || !reader.TryString(out var kdf) || !reader.TryBytes(out _))
        {
            return "the private key header is truncated";
        }

        if (cipher != None || kdf != None)
        {
            return $"the private key is encrypted (cipher {cipher}, kdf {kdf}); only unencrypted keys are used";
        }

        if (!reader.TryUInt32(out var count) || count != 1 || !reader.TryBytes(out var publicBlob)
            || !reader.TryBytes(out var privateSection) || reader.Remaining.Length != 0)
        {
            return "the private key must hold exactly one key";
        }

        var section = new SshWireReader(privateSection);
        if (!section.TryUInt32(out var check1) || !section.TryUInt32(out var check2) || check1 != check2)
        {
            return "the private key's check values differ (corrupt or encrypted data)";
        }

        if (!section.TryString(out var type) || type != SshPublicKey.Ed25519Type)
        {
            return $"the private key is not an {SshPublicKey.Ed25519Type} key";
        }

        if (!section.TryBytes(out var publicKey) || publicKey.Length != KeyLength
            || !section.TryBytes(out var secret) || secret.Length != 2 * KeyLength
            || !secret[KeyLength..].SequenceEqual(publicKey)
            || !publicBlob.SequenceEqual(SshPublicKey.Ed25519Blob(publicKey)))
        {
            return "the private key's Ed25519 fields are malformed";
        }

        if (!section.TryString(out var comment))
        {
            return "the private key's comment is truncated";
        }

        var padding = section.Remaining;
        for (var i = 0; i < padding.Length; i++)
        {
            if (padding[i] != i + 1)
            {
                return "the private key's padding is corrupt";
            }
        }

        key = new OpenSshPrivateKey(secret[..KeyLength].ToArray(), publicKey.ToArray(), comment, check1);
        return "";
    }
}
