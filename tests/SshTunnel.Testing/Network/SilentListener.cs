using System.Net;
using System.Net.Sockets;

namespace SshTunnel.Testing.Network;

/// <summary>
/// A TCP listener on 127.0.0.1 that accepts connections and never says a word: the shape of a
/// firewall that swallows packets after the handshake, or a server that hangs before its banner.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> accepted = [];
    private readonly Task acceptLoop;

    public SilentListener()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync(stopping.Token);
    }

    public int Port { get; }

    /// <summary>How many connections were accepted so far.</summary>
    public int AcceptedCount
    {
        get
        {
            lock (accepted)
            {
                return accepted.Count;
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        acceptLoop.Wait(TimeSpan.FromSeconds(10));
        lock (accepted)
        {
            accepted.ForEach(client => client.Dispose());
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                lock (accepted)
                {
                    accepted.Add(client);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Dispose stops the loop.
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping the listener ends a pending accept this way on some platforms.
        }
    }
}
