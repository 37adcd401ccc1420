using System.Net;
using System.Net.Sockets;

namespace SshTunnel.Testing.Network;

/// <summary>Loopback ports that nothing listens on.</summary>
public static class FreePort
{
    /// <summary>
    /// A port on 127.0.0.1 that the OS just handed out and nobody listens on: a connection to
    /// it is refused, and a server may bind it (another process may take it first, so a server
    /// that fails to bind retries with a new one).
    /// </summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
