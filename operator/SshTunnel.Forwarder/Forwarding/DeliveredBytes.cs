using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Prometheus;

namespace SshTunnel.Forwarder.Forwarding;

/// <summary>
/// Counts the bytes a connection's client has received, as the kernel counts them
/// (<c>tcpi_bytes_acked</c> of Linux's <c>TCP_INFO</c>): SSH.NET writes the bastion's data
/// straight into the client's socket, so no buffer of the forwarder sees them. Read before
/// every scrape of <c>/metrics</c> and once more when the connection ends.
/// </summary>
internal sealed class DeliveredBytes
{
    private const int TcpInfo = 11;
    private const int BytesAckedOffset = 120;
    private static readonly ConcurrentDictionary<DeliveredBytes, bool> Open = new();

    private readonly Socket socket;
    private readonly Counter.Child counter;
    private readonly Lock gate = new();
    private long counted;

    static DeliveredBytes() => Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
    {
        foreach (var open in Open.Keys)
        {
            open.Count();
        }
    });

    private DeliveredBytes(Socket socket, Counter.Child counter)
    {
        this.socket = socket;
        this.counter = counter;
    }

    /// <summary>Starts counting what <paramref name="socket"/> delivers into <paramref name="counter"/>.</summary>
    public static DeliveredBytes Track(Socket socket, Counter.Child counter)
    {
        var tracked = new DeliveredBytes(socket, counter);
        Open[tracked] = true;
        return tracked;
    }

    /// <summary>Counts the rest; call while the socket is still open.</summary>
    public void Complete()
    {
        Count();
        Open.TryRemove(this, out _);
    }

    private void Count()
    {
        Span<byte> info = stackalloc byte[BytesAckedOffset + sizeof(long)];
        lock (gate)
        {
            try
            {
                if (socket.GetRawSocketOption((int)SocketOptionLevel.Tcp, TcpInfo, info) < info.Length)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Closed meanwhile (the session was lost): what it delivered last is not counted.
                return;
            }

            var acked = BinaryPrimitives.ReadInt64LittleEndian(info[BytesAckedOffset..]);
            counter.Inc(acked - counted);
            counted = acked;
        }
    }
}
