using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>What the benchmark does through a tunnel's local port: new connections and bulk downloads.</summary>
internal static class TrafficClient
{
    private const int ReadBufferSize = 256 * 1024;
    private static readonly byte[] PingRequest = TrafficServer.Request(TrafficServer.Ping, 0);

    /// <summary>TCP connect to the tunnel plus the first byte's round trip to the server behind it.</summary>
    public static async Task<TimeSpan> SetupLatencyAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var started = Stopwatch.GetTimestamp();
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(PingRequest, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var answer = new byte[1];
        if (await socket.ReceiveAsync(answer, SocketFlags.None, cancellationToken).ConfigureAwait(false) != 1)
        {
            throw new IOException($"the tunnel on port {port} closed a new connection before the first byte");
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Downloads <paramref name="bytes"/> on each of <paramref name="streams"/> connections at once; returns the wall time of all.</summary>
    public static async Task<TimeSpan> DownloadAsync(int port, int streams, long bytes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => DownloadOneAsync(port, bytes, cancellationToken))).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task DownloadOneAsync(int port, long bytes, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(TrafficServer.Request(TrafficServer.Download, bytes), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[ReadBufferSize];
        long received = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            received += read;
        }

        if (received != bytes)
        {
            throw new IOException($"the tunnel on port {port} delivered {received:N0} of {bytes:N0} bytes");
        }
    }
}
