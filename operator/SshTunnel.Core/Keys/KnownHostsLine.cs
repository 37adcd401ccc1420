using System.Globalization;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.Keys;

/// <summary>The OpenSSH <c>known_hosts</c> line that pins a bastion's host key.</summary>
public static class KnownHostsLine
{
    /// <summary>
    /// <c>host type base64</c> for port 22, <c>[host]:port type base64</c> otherwise, as
    /// OpenSSH writes it.
    /// </summary>
    public static string Format(ConnectionParameters connection, SshPublicKey hostKey)
    {
        var hostPattern = connection.Port == ConnectionSpec.DefaultPort
            ? connection.Host
            : string.Create(CultureInfo.InvariantCulture, $"[{connection.Host}]:{connection.Port}");
        return $"{hostPattern} {hostKey.Type} {hostKey.Base64}";
    }
}
