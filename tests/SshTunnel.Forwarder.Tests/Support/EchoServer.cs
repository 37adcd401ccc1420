using System.Net;
using System.Net.Sockets;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>A real TCP server on 127.0.0.1 that sends back every byte it receives; counts the connections it accepted.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int accepted;

    public EchoServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(stopping.Token);
                Interlocked.Increment(ref accepted);
                _ = EchoAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task EchoAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await client.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                    if (read == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // The peer went away or the server stops.
            }
        }
    }
}
