using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// An SSH public key in its wire form (the blob inside an OpenSSH key line), with the two
/// spellings people compare: the key line and the <c>SHA256:</c> fingerprint that
/// <c>ssh-keygen -l</c> prints.
/// </summary>
public sealed class SshPublicKey
{
    private readonly byte[] blob;

    private SshPublicKey(string type, byte[] blob)
    {
        Type = type;
        this.blob = blob;
        Line = $"{type} {Convert.ToBase64String(blob)}";
        Fingerprint = FingerprintOf(blob);
    }

    /// <summary>The key type named inside the blob, e.g. <c>ssh-ed25519</c>.</summary>
    public string Type { get; }

    /// <summary>The OpenSSH public key line without comment: <c>ssh-ed25519 AAAA...</c>.</summary>
    public string Line { get; }

    /// <summary>The fingerprint as <c>ssh-keygen -l</c> prints it: <c>SHA256:</c> and unpadded base64.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads a key from its wire form, whose first field is the key type.</summary>
    public static SshPublicKey FromBlob(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length < 4)
        {
            throw new FormatException("An SSH public key blob starts with a 4-byte length.");
        }

        var typeLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (typeLength == 0 || typeLength > blob.Length - 4)
        {
            throw new FormatException("The SSH public key blob's type field overruns the blob.");
        }

        return new SshPublicKey(Encoding.ASCII.GetString(blob, 4, (int)typeLength), (byte[])blob.Clone());
    }

    /// <summary>Reads an OpenSSH public key line (<c>type base64 [comment]</c>); false when it is not one.</summary>
    public static bool TryParseLine(string line, [NotNullWhen(true)] out SshPublicKey? key)
    {
        key = null;
        var fields = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            return false;
        }

        var blob = new byte[fields[1].Length];
        if (!Convert.TryFromBase64String(fields[1], blob, out var written))
        {
            return false;
        }

        try
        {
            key = FromBlob(blob[..written]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (key.Type != fields[0])
        {
            key = null;
            return false;
        }

        return true;
    }

    /// <summary>The <c>SHA256:</c> fingerprint of a key blob, unpadded, as OpenSSH prints it.</summary>
    public static string FingerprintOf(byte[] blob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>True when both keys are the same key (same type and blob; comments do not count).</summary>
    public bool SameKeyAs(SshPublicKey other) => blob.AsSpan().SequenceEqual(other.blob);

    public override string ToString() => Line;
}
