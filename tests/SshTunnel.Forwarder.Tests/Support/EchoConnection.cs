using System.Net.Sockets;
using System.Net;
using SshTunnel.Testing.Network;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>A client connection through the forwarder to an <see cref="EchoServer"/>.</summary>
public sealed class EchoConnection : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private int round;

    private EchoConnection()
    {
    }

    public static async Task<EchoConnection> OpenAsync(int port)
    {
        var connection = new EchoConnection();
        await connection.socket.ConnectAsync(IPAddress.Loopback, port);
        return connection;
    }

    /// <summary>
    /// Sends a message and reads its echo; returns null when it came back whole, else what went
    /// wrong (the connection closed or reset before the whole echo).
    /// </summary>
    public async Task<string?> RoundTripAsync(int size = 64)
    {
        var message = new byte[size];
        Random.Shared.NextBytes(message);
        message[0] = (byte)Interlocked.Increment(ref round);
        try
        {
            await socket.SendAsync(message, SocketFlags.None);
            var echo = new byte[size];
            for (var received = 0; received < size;)
            {
                var read = await socket.ReceiveAsync(echo.AsMemory(received), SocketFlags.None);
                if (read == 0)
                {
                    return $"closed after {received} of {size} bytes";
                }

                received += read;
            }

            return echo.AsSpan().SequenceEqual(message) ? null : "the echo differs from the message";
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>One short connection: open, one round trip, close; null on success, else what failed.</summary>
    public static async Task<string?> OnceAsync(int port)
    {
        try
        {
            using var connection = await OpenAsync(port);
            return await connection.RoundTripAsync();
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    public void Dispose() => socket.Dispose();
}
