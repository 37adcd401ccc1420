using System.Globalization;
using System.Net;

namespace SshTunnel.Operator.CommandLine;

/// <summary>
/// An address to serve HTTP on, written as controller-runtime's bind-address flags take it:
/// <c>:8080</c> (every interface), <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>localhost:8080</c>;
/// <c>0</c> turns the server off.
/// </summary>
public sealed record BindAddress(IPAddress? Host, int Port)
{
    /// <summary>Every interface on <paramref name="port"/>.</summary>
    public static BindAddress AnyInterface(int port) => new(null, port);

    /// <summary>Reads an address; null for <c>0</c> (off). The error says what a valid one looks like.</summary>
    public static bool TryParse(string text, out BindAddress? address, out string error)
    {
        address = null;
        error = "";
        if (text == "0")
        {
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            error = $"must be HOST:PORT with a port from 1 to 65535 (':8080' for every interface, '127.0.0.1:8080', '[::1]:8080'), or 0 to turn it off, got '{text}'";
            return false;
        }

        var host = text[..colon];
        if (host.Length == 0)
        {
            address = AnyInterface(port);
            return true;
        }

        if (host == "localhost")
        {
            address = new BindAddress(IPAddress.Loopback, port);
            return true;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            address = new BindAddress(ip, port);
            return true;
        }

        error = $"must name an IP address or localhost as its host (a host name is not resolved), got '{text}'";
        return false;
    }

    public override string ToString() => Host is null
        ? $":{Port.ToString(CultureInfo.InvariantCulture)}"
        : new IPEndPoint(Host, Port).ToString();
}
