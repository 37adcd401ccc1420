using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Prometheus;
using Renci.SshNet.Common;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Observability;
using SshTunnel.Forwarder.Sessions;

namespace SshTunnel.Forwarder.Forwarding;

/// <summary>
/// The listening port of one forward. Each accepted connection leases the current session
/// (waiting for one within <c>--session-wait</c> while none is authenticated) and gets its own
/// direct-tcpip channel on that session. The connection stays on
/// its session for its whole life, whatever replaces the session meanwhile.
/// </summary>
public sealed class ForwardListener(ForwardSpec forward, IPAddress address, SessionSupervisor supervisor, ForwarderStatus status, ILogger logger) : IDisposable
{
    /// <summary>What one read from a client takes: SSH.NET's packet size for channel data.</summary>
    private const int ReadSize = 64 * 1024;

    private readonly Socket listener = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    private readonly ConcurrentDictionary<int, Task> connections = new();
    private readonly CancellationTokenSource cut = new();
    private int nextId;

    /// <summary>The port actually bound (the configured one, or the system's choice for 0).</summary>
    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <summary>Binds and listens; connections are accepted by <see cref="RunAsync"/>.</summary>
    public void Start()
    {
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(address, forward.ListenPort));
        listener.Listen(512);
    }

    /// <summary>Accepts until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
                var id = Interlocked.Increment(ref nextId);
                var connection = ServeAsync(client);
                connections[id] = connection;
                _ = connection.ContinueWith(_ => connections.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
        finally
        {
            listener.Close();
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for open connections to end, then cuts the rest.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(connections.Values).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Forward {Forward}: cutting {Count} connections still open after the drain timeout", forward.Name, connections.Count);
            await cut.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(connections.Values).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        try
        {
            using (client)
            {
                client.NoDelay = true;
                var session = await supervisor.AcquireAsync(cut.Token).ConfigureAwait(false);
                if (session is null)
                {
                    ForwarderMetrics.Connections.WithLabels(forward.Name, "no_session").Inc();
                    logger.LogWarning("Forward {Forward}: connection refused, no authenticated session within the wait: {Detail}", forward.Name, status.Detail);
                    return;
                }

                try
                {
                    await ForwardAsync(client, session).ConfigureAwait(false);
                }
                finally
                {
                    session.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cut.IsCancellationRequested)
        {
            // Cut at the end of the drain.
        }
    }

    private async Task ForwardAsync(Socket client, BastionSession session)
    {
        DirectTcpipChannel channel;
        try
        {
            channel = session.OpenChannel(forward, client);
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Failed($"the session could not open a channel: {ex.Message}");
            return;
        }

        using (channel)
        {
            if (!channel.IsOpen)
            {
                Failed($"the bastion refused a channel to {forward.TargetHost}:{forward.TargetPort}");
                return;
            }

            ForwarderMetrics.Connections.WithLabels(forward.Name, "forwarded").Inc();
            var channels = ForwarderMetrics.ActiveChannels.WithLabels(forward.Name);
            channels.Inc();
            var delivered = DeliveredBytes.Track(client, ForwarderMetrics.Bytes.WithLabels(forward.Name, "from_target"));
            try
            {
                await SendToTargetAsync(client, channel, ForwarderMetrics.Bytes.WithLabels(forward.Name, "to_target")).ConfigureAwait(false);
            }
            finally
            {
                delivered.Complete();
                channels.Dec();
            }
        }
    }

    /// <summary>
    /// Reads the client until it ends its stream (or the channel closes its socket) and sends
    /// what it reads on the channel; the bastion's answers reach the client through SSH.NET.
    /// </summary>
    private async Task SendToTargetAsync(Socket client, DirectTcpipChannel channel, Counter.Child counter)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        using var cutting = cut.Token.Register(channel.Dispose);
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, cut.Token).ConfigureAwait(false);
                if (read == 0 || !channel.IsOpen)
                {
                    return;
                }

                channel.Send(buffer, read);
                counter.Inc(read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or SshException or InvalidOperationException
            || (ex is OperationCanceledException && cut.IsCancellationRequested))
        {
            // The client reset, the bastion closed the channel, the session was lost, or the drain ended.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Failed(string reason)
    {
        ForwarderMetrics.Connections.WithLabels(forward.Name, "failed").Inc();
        logger.LogWarning("Forward {Forward}: connection not forwarded, {Reason}", forward.Name, reason);
    }

    public void Dispose()
    {
        listener.Dispose();
        cut.Dispose();
    }
}
