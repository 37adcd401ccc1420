using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Renci.SshNet;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// Connects to one SSH.NET <see cref="ForwardedPortLocal"/> one connection at a time. SSH.NET
/// re-arms its accept inside the accept callback and then serves the accepted connection on that
/// same thread for the connection's whole life; a connection already waiting in the backlog
/// completes that re-armed accept at once, nested on the same thread, so a burst of connections
/// is served one at a time, last in first out (16 concurrent streams ran at a fifth of OpenSSH's
/// rate). Connecting only after SSH.NET took the previous connection (its
/// <see cref="ForwardedPort.RequestReceived"/>, raised after the re-arm) keeps every accept
/// asynchronous: each connection gets a thread of its own at once.
/// </summary>
public sealed class LocalPortGate
{
    /// <summary>How long a connection waits for SSH.NET to take it before the next may connect anyway.</summary>
    private static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource> waiting = new();

    public LocalPortGate(ForwardedPortLocal port)
    {
        Endpoint = new IPEndPoint(IPAddress.Loopback, (int)port.BoundPort);
        port.RequestReceived += (_, request) =>
        {
            if (waiting.TryRemove((int)request.OriginatorPort, out var taken))
            {
                taken.TrySetResult();
            }
        };
    }

    /// <summary>The port's local end.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Connects <paramref name="socket"/> (unbound) and returns once SSH.NET took it, or after a bound.</summary>
    public async Task ConnectAsync(Socket socket, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Bound first, so that SSH.NET's request names a port known before the connect.
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[port] = taken;
            try
            {
                await socket.ConnectAsync(Endpoint, cancellationToken).ConfigureAwait(false);
                await Task.WhenAny(taken.Task, Task.Delay(HandOffTimeout, cancellationToken)).ConfigureAwait(false);
            }
            finally
            {
                waiting.TryRemove(port, out _);
            }
        }
        finally
        {
            turn.Release();
        }
    }
}
