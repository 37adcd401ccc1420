using System.Security.Cryptography;

namespace SshTunnel.Core.Keys;

/// <summary>The <c>SHA256:</c> fingerprint that <c>ssh-keygen -l</c> prints for a public key.</summary>
public static class SshFingerprint
{
    /// <summary>The prefix of every fingerprint this class produces.</summary>
    public const string Prefix = "SHA256:";

    /// <summary><c>SHA256:</c> followed by the unpadded base64 of the SHA-256 of the key blob.</summary>
    public static string Sha256(ReadOnlySpan<byte> publicKeyBlob) =>
        Prefix + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');
}
