using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using SshTunnel.Forwarder.Configuration;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// SSH.NET local ports of one forward on one session, each carrying at most one connection at a
/// time. SSH.NET's <see cref="ForwardedPortLocal"/> serves a connection on the thread that
/// accepted it, and when an accept completes at once (a second connection already queued) the
/// first connection waits until the second one ends: with long-lived connections that is
/// forever. One connection per port at a time never queues a second one.
/// </summary>
internal sealed class LocalPortPool(SshClient client, ForwardSpec forward, Lock clientGate, ILogger logger)
{
    private readonly ConcurrentBag<ForwardedPortLocal> idle = [];

    /// <summary>An idle port, or a new one on 127.0.0.1 (an ephemeral port only this process connects to).</summary>
    public ForwardedPortLocal Rent()
    {
        if (idle.TryTake(out var port))
        {
            return port;
        }

        port = new ForwardedPortLocal(IPAddress.Loopback.ToString(), 0, forward.TargetHost, (uint)forward.TargetPort);
        port.Exception += (_, e) => logger.LogWarning("Forward {Forward}: {Error}", forward.Name, e.Exception.Message);
        lock (clientGate)
        {
            // SshClient keeps its ports in a plain list.
            client.AddForwardedPort(port);
        }

        port.Start();
        return port;
    }

    /// <summary>Takes back a port whose connection has ended.</summary>
    public void Return(ForwardedPortLocal port) => idle.Add(port);
}
