using SshTunnel.Core.Keys;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace SshTunnel.Operator.Probing;

/// <summary>One private key of a probe, read once, with the fingerprint named in messages.</summary>
internal sealed class ProbeKey : IDisposable
{
    private ProbeKey(string name, PrivateKeyFile file, string fingerprint)
    {
        Name = name;
        File = file;
        Fingerprint = fingerprint;
    }

    /// <summary>"key 1" or "key 2", as messages call it.</summary>
    public string Name { get; }

    public PrivateKeyFile File { get; }

    /// <summary>The public half's <c>SHA256:</c> fingerprint: what the user looks for in authorized_keys.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads an OpenSSH PEM private key; on failure, says why in <paramref name="error"/>.</summary>
    public static bool TryRead(string name, string pem, [NotNullWhen(true)] out ProbeKey? key, out string error)
    {
        key = null;
        error = string.Empty;
        PrivateKeyFile? file = null;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(pem));
            file = new PrivateKeyFile(stream);
            var publicBlob = file.HostKeyAlgorithms.First().Data;
            key = new ProbeKey(name, file, SshFingerprint.Sha256(publicBlob));
            return true;
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            file?.Dispose();
            error = $"private {name} cannot be read: {ex.Message}";
            return false;
        }
    }

    public void Dispose() => File.Dispose();
}
