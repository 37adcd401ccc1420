using System.Globalization;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Kubectl.Output;

/// <summary>
/// The <c>ssh -N -L</c> command of the README's "With your own ssh client": both keys (key 1
/// first), only those keys, the host key pinned by the Secret's <c>known_hosts</c>.
/// </summary>
public static class SshCommandLine
{
    public static IReadOnlyList<string> Arguments(string keyDirectory, ConnectionParameters connection, IReadOnlyList<string> forwards) =>
    [
        "ssh",
        "-i", Path.Combine(keyDirectory, KeySecretLayout.PrivateKey1),
        "-i", Path.Combine(keyDirectory, KeySecretLayout.PrivateKey2),
        "-o", "IdentitiesOnly=yes",
        "-o", "UserKnownHostsFile=" + Path.Combine(keyDirectory, KeySecretLayout.KnownHosts),
        "-o", "StrictHostKeyChecking=yes",
        "-o", "ExitOnForwardFailure=yes",
        "-o", "ServerAliveInterval=10",
        "-o", "ServerAliveCountMax=3",
        "-p", connection.Port.ToString(CultureInfo.InvariantCulture),
        "-N",
        .. forwards.SelectMany(forward => new[] { "-L", forward }),
        connection.User + "@" + connection.Host,
    ];

    /// <summary>The command as one line for a POSIX shell.</summary>
    public static string Format(IReadOnlyList<string> arguments) => string.Join(' ', arguments.Select(ShellQuoting.Quote));
}
