using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>
/// The TCP server behind both tunnels, on 127.0.0.1. A client sends a 9-byte request (a kind byte
/// and a little-endian length): <see cref="Ping"/> gets one byte back (the first-byte round trip
/// of a new connection), <see cref="Download"/> gets that many bytes, then the end of the stream.
/// </summary>
internal sealed class TrafficServer : IAsyncDisposable
{
    public const byte Ping = (byte)'P';
    public const byte Download = (byte)'D';
    public const int RequestSize = 9;

    private const int ChunkSize = 256 * 1024;
    private static readonly byte[] Chunk = new byte[ChunkSize];
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource stopping = new();
    private Task accepting = Task.CompletedTask;

    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    public static TrafficServer Start()
    {
        var server = new TrafficServer();
        server.listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.listener.Listen(512);
        server.accepting = server.AcceptAsync();
        return server;
    }

    /// <summary>Writes a request for <paramref name="kind"/> and <paramref name="length"/> into a new buffer.</summary>
    public static byte[] Request(byte kind, long length)
    {
        var request = new byte[RequestSize];
        request[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(request.AsSpan(1), length);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        await accepting.ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(stopping.Token).ConfigureAwait(false);
                _ = ServeAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var request = new byte[RequestSize];
                await using (var stream = new NetworkStream(client, ownsSocket: false))
                {
                    await stream.ReadExactlyAsync(request, stopping.Token).ConfigureAwait(false);
                }

                if (request[0] == Ping)
                {
                    await client.SendAsync(request.AsMemory(0, 1), SocketFlags.None, stopping.Token).ConfigureAwait(false);
                }
                else
                {
                    for (var left = BinaryPrimitives.ReadInt64LittleEndian(request.AsSpan(1)); left > 0; left -= ChunkSize)
                    {
                        await client.SendAsync(Chunk.AsMemory(0, (int)Math.Min(left, ChunkSize)), SocketFlags.None, stopping.Token).ConfigureAwait(false);
                    }
                }

                client.Shutdown(SocketShutdown.Send);
                // Wait for the client's close, so the server side never resets a stream still being read.
                await client.ReceiveAsync(request, SocketFlags.None, stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or EndOfStreamException)
            {
                // The client went away or the server stops.
            }
        }
    }
}
