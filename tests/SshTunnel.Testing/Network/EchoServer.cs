using System.Net;
using System.Net.Sockets;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.Network;

/// <summary>A TCP server on 127.0.0.1 that sends back every byte it receives, on any number of connections.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int accepted;

    public EchoServer()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far: a test that expects nothing to reach the target reads it.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, sends <paramref name="message"/> and returns what comes back.</summary>
    public static async Task<string> RoundTripAsync(int port, string message, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        var sent = System.Text.Encoding.UTF8.GetBytes(message);
        await stream.WriteAsync(sent, cancellationToken);
        var received = new byte[sent.Length];
        await stream.ReadExactlyAsync(received, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(received);
    }

    /// <summary>
    /// Round-trips <paramref name="message"/> through the local end of a tunnel that
    /// <paramref name="tunnel"/> (an ssh -L) is opening, retrying until the forward listens;
    /// fails with <paramref name="describe"/> when the tunnel process ends first.
    /// </summary>
    public static Task<string?> ThroughTunnelAsync(RunningProcess tunnel, int localPort, string message, Func<string> describe) =>
        Eventually.Until(
            async () =>
            {
                if (tunnel.HasExited)
                {
                    await tunnel.WaitForExitAsync();
                    throw new InvalidOperationException($"ssh exited {tunnel.ExitCode}:\n{tunnel.Output}\n{describe()}");
                }

                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    return await RoundTripAsync(localPort, message, timeout.Token);
                }
                catch (SocketException)
                {
                    return null;
                }
            },
            reply => reply is not null,
            "an echo through the tunnel");

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping ends the accept loop with one of these.
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            Interlocked.Increment(ref accepted);
            _ = EchoAsync(client);
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await client.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The peer went away or the server stops: nothing left to echo.
            }
        }
    }
}
