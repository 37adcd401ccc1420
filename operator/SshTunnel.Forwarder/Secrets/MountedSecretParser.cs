using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Forwarder.Secrets;

/// <summary>Turns the files of the key Secret into a <see cref="MountedSecret"/>, or says which file is wrong.</summary>
public static class MountedSecretParser
{
    /// <summary>
    /// Reads <paramref name="files"/> (file name to content). <paramref name="version"/> names the
    /// kubelet's data folder; when empty, a digest of the contents stands in for it.
    /// </summary>
    public static MountedSecret Parse(IReadOnlyDictionary<string, string> files, string version)
    {
        var host = Required(files, KeySecretLayout.Host).Trim();
        var user = Required(files, KeySecretLayout.User).Trim();
        var portText = files.GetValueOrDefault(KeySecretLayout.Port, "22").Trim();
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidDataException($"the Secret's '{KeySecretLayout.Port}' must be a port from 1 to 65535, got '{portText}'");
        }

        var key1 = Required(files, KeySecretLayout.PrivateKey1);
        var key2 = files.GetValueOrDefault(KeySecretLayout.PrivateKey2);
        return new MountedSecret(
            version.Length > 0 ? version : Digest(files),
            host,
            port,
            user,
            key1,
            string.IsNullOrWhiteSpace(key2) ? null : key2,
            KnownHosts.Parse(files.GetValueOrDefault(KeySecretLayout.KnownHosts)));
    }

    private static string Required(IReadOnlyDictionary<string, string> files, string name) =>
        files.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidDataException($"the Secret has no '{name}': mount the connection's key Secret (<connection>-ssh-keys) whole");

    private static string Digest(IReadOnlyDictionary<string, string> files)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in files.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\0').Append(value).Append('\0');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
