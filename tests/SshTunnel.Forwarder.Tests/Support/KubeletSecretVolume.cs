using System.Globalization;
using System.Text;
using SshTunnel.Core.Secrets;
using SshTunnel.Forwarder.Secrets;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>
/// A Secret volume as the kubelet lays it out and updates it (<see cref="KubeletSecretFolder"/>),
/// written from text values.
/// </summary>
public sealed class KubeletSecretVolume : IDisposable
{
    private readonly KubeletSecretFolder folder = new(TimeProvider.System);

    public string Path => folder.Path;

    /// <summary>Publishes a new version of the Secret's data.</summary>
    public void Write(IReadOnlyDictionary<string, string> data) =>
        folder.Write(data.ToDictionary(item => item.Key, item => Encoding.UTF8.GetBytes(item.Value)));

    /// <summary>The key Secret's data, as the operator writes it, for a connection to <paramref name="user"/>@<paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Dictionary<string, string> KeySecret(string host, int port, string user, string privateKey1, string? privateKey2, string? knownHosts)
    {
        var data = new Dictionary<string, string>
        {
            [KeySecretLayout.Host] = host,
            [KeySecretLayout.Port] = port.ToString(CultureInfo.InvariantCulture),
            [KeySecretLayout.User] = user,
            [KeySecretLayout.PrivateKey1] = privateKey1,
        };
        if (privateKey2 is not null)
        {
            data[KeySecretLayout.PrivateKey2] = privateKey2;
        }

        if (knownHosts is not null)
        {
            data[KeySecretLayout.KnownHosts] = knownHosts;
        }

        return data;
    }

    public void Dispose() => folder.Dispose();
}
