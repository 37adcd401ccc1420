using System.Buffers;
using System.Net.Sockets;
using Prometheus;

namespace SshTunnel.Forwarder.Forwarding;

/// <summary>
/// Copies bytes both ways between two connected sockets until both directions end. An end of
/// stream on one side is passed on as a half-close (shutdown of sending) to the other, so
/// protocols that close their sending side first still get their answer.
/// </summary>
public static class SocketRelay
{
    private const int BufferSize = 128 * 1024;

    /// <summary>Relays until both sides finished or <paramref name="cancellationToken"/> fires; counts bytes into the two counters.</summary>
    public static async Task RunAsync(Socket client, Socket target, Counter.Child toTarget, Counter.Child fromTarget, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upstream = PumpAsync(client, target, toTarget, abort);
        var downstream = PumpAsync(target, client, fromTarget, abort);
        await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Socket from, Socket to, Counter.Child counter, CancellationTokenSource abort)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, abort.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, abort.Token).ConfigureAwait(false);
                }

                counter.Inc(read);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side failed or reset: the other direction cannot go on either.
            await abort.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
