using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Observability;
using SshTunnel.Forwarder.Sessions;

namespace SshTunnel.Forwarder.Forwarding;

/// <summary>
/// The listening port of one forward. Each accepted connection leases the current session
/// (waiting for one within <c>--session-wait</c> while none is authenticated) and is relayed to
/// that session's SSH.NET port, which opens the direct-tcpip channel. The connection stays on
/// its session for its whole life, whatever replaces the session meanwhile.
/// </summary>
public sealed class ForwardListener(ForwardSpec forward, IPAddress address, SessionSupervisor supervisor, ForwarderStatus status, ILogger logger) : IDisposable
{
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
                    await RelayAsync(client, session).ConfigureAwait(false);
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

    private async Task RelayAsync(Socket client, BastionSession session)
    {
        var channels = ForwarderMetrics.ActiveChannels.WithLabels(forward.Name);
        var port = session.RentPort(forward.Name);
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await target.ConnectAsync(IPAddress.Loopback, (int)port.BoundPort, cut.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            session.ReturnPort(forward.Name, port);
            ForwarderMetrics.Connections.WithLabels(forward.Name, "failed").Inc();
            logger.LogWarning("Forward {Forward}: the session's port did not accept the connection: {Error}", forward.Name, ex.Message);
            return;
        }

        ForwarderMetrics.Connections.WithLabels(forward.Name, "forwarded").Inc();
        channels.Inc();
        try
        {
            await SocketRelay.RunAsync(
                client,
                target,
                ForwarderMetrics.Bytes.WithLabels(forward.Name, "to_target"),
                ForwarderMetrics.Bytes.WithLabels(forward.Name, "from_target"),
                cut.Token).ConfigureAwait(false);
        }
        finally
        {
            channels.Dec();
            target.Close();
            session.ReturnPort(forward.Name, port);
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        cut.Dispose();
    }
}
