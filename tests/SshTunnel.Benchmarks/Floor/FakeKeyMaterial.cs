using System.Security.Cryptography;
using System.Text;

namespace SshTunnel.Benchmarks.Floor;

/// <summary>Random stand-ins the size of a real Ed25519 key pair, so the floor writes bodies as big as the operator's.</summary>
internal static class FakeKeyMaterial
{
    public static string PublicKey(string comment) =>
        "ssh-ed25519 " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(51)) + " " + comment;

    public static string PrivateKey()
    {
        var body = Convert.ToBase64String(RandomNumberGenerator.GetBytes(294));
        var pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (var offset = 0; offset < body.Length; offset += 70)
        {
            pem.Append(body, offset, Math.Min(70, body.Length - offset)).Append('\n');
        }

        return pem.Append("-----END OPENSSH PRIVATE KEY-----\n").ToString();
    }

    public static string Fingerprint() => "SHA256:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');
}
