using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// One direct-tcpip channel of an SSH.NET session, opened for one accepted connection with a
/// bounded window. SSH.NET writes what the bastion sends straight into the connection's socket
/// (a blocking send on the session's reader thread) and grants more window only after that
/// write, so the bastion never holds more than <see cref="WindowSize"/> for the connection; the
/// forwarder reads the connection and sends it on the channel.
/// </summary>
/// <remarks>
/// SSH.NET 2026.0.0 opens such channels only inside <see cref="ForwardedPortLocal"/>, behind a
/// listening socket of its own and with a fixed 2 GiB window: the bastion's sshd then reads the
/// target as fast as it can and buffers whatever the forwarder has not taken yet (tens of MiB,
/// and with them several times the CPU per byte). The channel type and the session's channel
/// numbering are internal, so they are reached with <see cref="UnsafeAccessorAttribute"/>: bound
/// by name to the pinned SSH.NET version, resolved on first use, and failing loudly (a
/// <see cref="MissingMethodException"/>) rather than misbehaving if a version changes them.
/// </remarks>
internal sealed class DirectTcpipChannel : IForwardedPort
{
    /// <summary>
    /// OpenSSH's client window for a forwarded port (64 packets of 32 KiB). SSH.NET grants more
    /// only once less than a packet is left (OpenSSH's client tops up at half); 8 MiB, to shorten
    /// that pause, let sshd buffer twice as much without a measurable gain.
    /// </summary>
    public const uint WindowSize = 2 * 1024 * 1024;

    /// <summary>SSH.NET's own packet size for channel data.</summary>
    private const uint PacketSize = 64 * 1024;

    private const string SessionInterface = "Renci.SshNet.ISession, Renci.SshNet";
    private const string ChannelBase = "Renci.SshNet.Channels.Channel, Renci.SshNet";
    private const string DirectTcpip = "Renci.SshNet.Channels.ChannelDirectTcpip, Renci.SshNet";

    private readonly SshClient client;
    private readonly object channel;

    private DirectTcpipChannel(SshClient client, object channel)
    {
        this.client = client;
        this.channel = channel;
    }

    /// <summary>
    /// Asks the bastion for a channel to <paramref name="host"/>:<paramref name="port"/> that
    /// carries <paramref name="connection"/>; blocks for the bastion's answer.
    /// <see cref="IsOpen"/> is false when the bastion refused (the target did not accept).
    /// </summary>
    public static DirectTcpipChannel Open(SshClient client, string host, uint port, Socket connection, EventHandler<ExceptionEventArgs> onException)
    {
        var session = SessionOf(client);
        var channel = new DirectTcpipChannel(client, NewChannel(session, NextChannelNumber((Session)session), WindowSize, PacketSize));
        AddException(channel.channel, onException);
        try
        {
            OpenChannel(channel.channel, host, port, channel, connection);
        }
        catch
        {
            channel.Dispose();
            throw;
        }

        return channel;
    }

    /// <summary>True once the bastion confirmed the channel, until it is closed.</summary>
    public bool IsOpen => IsChannelOpen(channel);

    /// <summary>Sends bytes read from the connection; blocks while the bastion's window is used up.</summary>
    public void Send(byte[] buffer, int count) => SendData(channel, buffer, 0, count);

    /// <summary>
    /// Closes the channel (end of data, close, waiting for the bastion's close within SSH.NET's
    /// timeout) and the connection's socket, then acknowledges the bastion's close at once.
    /// </summary>
    /// <remarks>
    /// sshd writes to a non-interactive session with Nagle's algorithm on, and its close is the
    /// last thing it sends for the channel: the forwarder's kernel delays that ACK (up to 40 ms),
    /// and sshd holds back its next small packet (the next connection's open confirmation) until
    /// it comes. OpenSSH's client answers the bastion's close with its own, which carries the ACK;
    /// SSH.NET sends its close first, so an SSH_MSG_IGNORE (SSH.NET's keepalive) carries it here.
    /// </remarks>
    public void Dispose()
    {
        try
        {
            ((IDisposable)channel).Dispose();

            // Obsolete only as a way to keep a session alive; here it is the one public way to send a packet now.
#pragma warning disable CS0618
            client.SendKeepAlive();
#pragma warning restore CS0618
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session was lost or closed meanwhile: nothing is left to close or acknowledge.
        }
    }

    /// <summary>
    /// SSH.NET subscribes to the owning port's closing to cut the channel; this forwarder cuts a
    /// channel by disposing it, so there is nothing to announce.
    /// </summary>
    event EventHandler IForwardedPort.Closing
    {
        add { }
        remove { }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Session")]
    [return: UnsafeAccessorType(SessionInterface)]
    private static extern object SessionOf(BaseClient client);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_NextChannelNumber")]
    private static extern uint NextChannelNumber(Session session);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(DirectTcpip)]
    private static extern object NewChannel([UnsafeAccessorType(SessionInterface)] object session, uint localChannelNumber, uint localWindowSize, uint localPacketSize);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Open")]
    private static extern void OpenChannel([UnsafeAccessorType(DirectTcpip)] object channel, string remoteHost, uint port, IForwardedPort forwardedPort, Socket socket);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_IsOpen")]
    private static extern bool IsChannelOpen([UnsafeAccessorType(ChannelBase)] object channel);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "SendData")]
    private static extern void SendData([UnsafeAccessorType(ChannelBase)] object channel, byte[] data, int offset, int size);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "add_Exception")]
    private static extern void AddException([UnsafeAccessorType(ChannelBase)] object channel, EventHandler<ExceptionEventArgs> handler);
}
