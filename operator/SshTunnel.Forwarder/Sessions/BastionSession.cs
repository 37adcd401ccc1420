using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using SshTunnel.Core.Keys;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Observability;
using SshTunnel.Forwarder.Secrets;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// One authenticated SSH session: every forwarded connection gets its own direct-tcpip channel
/// on it (<see cref="OpenChannel"/>). Connections hold a lease; a retired session
/// (dropped, or replaced after a Secret update) takes no new lease and closes when the last
/// lease ends, so a replacement never cuts a connection.
/// </summary>
public sealed class BastionSession : IDisposable
{
    private readonly Lock gate = new();
    private readonly SshClient client;
    private readonly ILogger logger;
    private readonly TaskCompletionSource<string> dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string keyFingerprint;
    private int leases;
    private bool retired;
    private bool disposed;

    internal BastionSession(SshClient client, ILogger logger, MountedSecret secret, int keyNumber, string keyFingerprint, SshPublicKey hostKey, HostKeyVerdict verdict)
    {
        this.keyFingerprint = keyFingerprint;
        this.client = client;
        this.logger = logger;
        Secret = secret;
        KeyNumber = keyNumber;
        HostKey = hostKey;
        Verdict = verdict;
        ForwarderMetrics.Sessions.Inc();
        client.ErrorOccurred += (_, e) => Drop(e.Exception.Message);
    }

    /// <summary>The Secret version this session logged in with.</summary>
    public MountedSecret Secret { get; }

    /// <summary>1 or 2: the private key the bastion accepted.</summary>
    public int KeyNumber { get; }

    public SshPublicKey HostKey { get; }

    /// <summary><see cref="HostKeyVerdict.Trusted"/> or <see cref="HostKeyVerdict.Unverified"/>: a refused key never makes a session.</summary>
    public HostKeyVerdict Verdict { get; }

    /// <summary>Completes with the reason when the connection to the bastion is lost.</summary>
    public Task<string> Dropped => dropped.Task;

    /// <summary>How /readyz and the logs describe this session; never key material.</summary>
    public string Description =>
        $"{Secret.Target} authenticated with key {KeyNumber} ({keyFingerprint}) of Secret version {Secret.Version}; host key {HostKey.Fingerprint} "
        + (Verdict == HostKeyVerdict.Trusted ? "matches known_hosts" : "accepted UNVERIFIED (the Secret has no known_hosts)");

    /// <summary>
    /// Opens a channel to <paramref name="forward"/>'s target carrying <paramref name="connection"/>
    /// (blocks for the bastion's answer); dispose it when the connection ends.
    /// </summary>
    internal DirectTcpipChannel OpenChannel(ForwardSpec forward, Socket connection) =>
        DirectTcpipChannel.Open(
            client,
            forward.TargetHost,
            (uint)forward.TargetPort,
            connection,
            (_, e) => logger.LogWarning("Forward {Forward}: {Error}", forward.Name, e.Exception.Message));

    /// <summary>Takes a lease for one connection; false once the session is retired or lost.</summary>
    public bool TryAcquire()
    {
        lock (gate)
        {
            if (retired || dropped.Task.IsCompleted || !client.IsConnected)
            {
                return false;
            }

            leases++;
            return true;
        }
    }

    /// <summary>Ends a lease; the last one of a retired session closes it.</summary>
    public void Release()
    {
        lock (gate)
        {
            leases--;
            if (!retired || leases > 0)
            {
                return;
            }
        }

        Dispose();
    }

    /// <summary>No new leases; closes now when idle, else when the last lease ends.</summary>
    public void Retire()
    {
        lock (gate)
        {
            retired = true;
            if (leases > 0)
            {
                return;
            }
        }

        Dispose();
    }

    /// <summary>Notes that the connection to the bastion is gone (the watchdog or SSH.NET noticed).</summary>
    public void Drop(string reason) => dropped.TrySetResult(reason);

    /// <summary>True while SSH.NET still holds the connection.</summary>
    public bool IsConnected => client.IsConnected;

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        dropped.TrySetResult("closed");
        ForwarderMetrics.Sessions.Dec();
        client.Dispose();
    }
}
