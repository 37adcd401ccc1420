using System.Text.RegularExpressions;
using SshTunnel.Core.Model;
using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Output;

/// <summary>The <c>authorized_keys</c> lines for the bastion: public keys 1 and 2, optionally limited to port forwarding.</summary>
public static partial class AuthorizedKeys
{
    /// <summary>
    /// One line per published key. With <paramref name="restrict"/> (or any
    /// <paramref name="permitOpen"/>), OpenSSH's <c>restrict,port-forwarding</c> and one
    /// <c>permitopen="host:port"</c> per destination precede the key.
    /// </summary>
    public static IReadOnlyList<string> Lines(string name, ConnectionStatus? status, bool restrict, IReadOnlyList<string> permitOpen)
    {
        if (status?.PublicKey1 is not { } key1 || status.PublicKey2 is not { } key2)
        {
            throw new PluginException($"SshTunnelConnection {name} has no public keys in its status yet; is the operator running? (kubectl describe stc {name})");
        }

        foreach (var destination in permitOpen)
        {
            if (!DestinationPattern().IsMatch(destination))
            {
                throw new PluginException($"--permit-open \"{destination}\" is not host:port (a port number or *; an IPv6 address in brackets, e.g. [fd00::1]:5432)");
            }
        }

        var options = restrict || permitOpen.Count > 0
            ? "restrict,port-forwarding" + string.Concat(permitOpen.Select(destination => $",permitopen=\"{destination}\"")) + " "
            : "";
        return [options + key1, options + key2];
    }

    [GeneratedRegex(@"^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5}|\*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DestinationPattern();
}
