using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SshTunnel.Testing.Network;

/// <summary>
/// A TCP listener on 127.0.0.1 that answers every connection with one line that is not an SSH
/// banner and hangs up: the shape of a web server or a proxy sitting where the bastion should be.
/// </summary>
public sealed class NonSshListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly byte[] greeting;
    private readonly Task serveLoop;

    public NonSshListener(string greeting = "HTTP/1.1 400 Bad Request")
    {
        this.greeting = Encoding.ASCII.GetBytes(greeting + "\r\n");
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        serveLoop = ServeAsync(stopping.Token);
    }

    public int Port { get; }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        serveLoop.Wait(TimeSpan.FromSeconds(10));
        stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                await client.GetStream().WriteAsync(greeting, cancellationToken);
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
