using System.Globalization;
using Kube.Controller.Backoff;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Dev.PortForwards;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.PortForwards;

/// <summary>
/// Dev mode's in-process forwarders: an SshPortForward publishes a 127.0.0.1 address that reaches
/// a real TCP echo server through a real sshd with the connection's keys, keeps working through a
/// rotation (the Secret folder swapped as the kubelet does), and stops when it is deleted.
/// </summary>
public sealed class DevModeForwarderTests : IAsyncLifetime
{
    private readonly SshdServer sshd = new();
    private readonly EchoServer echo = new();
    private readonly InProcessForwarders forwarders = new(NullLoggerFactory.Instance, TimeProvider.System);
    private OperatorHarness harness = null!;
    private PortForwardClient forwardsApi = null!;

    public async Task InitializeAsync()
    {
        await sshd.InitializeAsync();
        harness = OperatorHarness.WithoutOperator(await EmulatedCluster.StartAsync(bookmarkInterval: IdleBookmarkInterval));
        await harness.StartOperatorAsync(
            new OperatorOptions { Workers = 2, Recheck = new ExponentialBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)) },
            localForwarders: forwarders);
        forwardsApi = new PortForwardClient(harness.Client, Namespace);
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await forwarders.DisposeAsync();
        await echo.DisposeAsync();
        await sshd.DisposeAsync();
    }

    [Fact]
    public async Task A_port_forward_is_served_on_127_0_0_1_through_the_bastion_with_the_connection_s_keys()
    {
        await harness.CreateAsync("bastion", new ConnectionSpec { Host = sshd.Host, Port = sshd.Port, User = sshd.User, Validate = true });
        var withKeys = await harness.WaitAsync("bastion", HasKeys, "bastion with keys");
        sshd.AuthorizeKey(withKeys.Status!.PublicKey1!);
        sshd.AuthorizeKey(withKeys.Status.PublicKey2!);
        await harness.WaitAsync("bastion", IsReady, "bastion validated, known_hosts in its Secret");

        await forwardsApi.CreateAsync("echo", new PortForwardSpec
        {
            ConnectionName = "bastion",
            Forwards = [new ForwardedPort { Name = "echo", Port = 7, TargetHost = "127.0.0.1", TargetPort = echo.Port }],
        });

        var published = await forwardsApi.WaitAsync("echo", forward => forward.Status?.LocalAddress is not null, "status.localAddress");
        Assert.Matches("^echo=127\\.0\\.0\\.1:[0-9]+$", published.Status!.LocalAddress);
        var port = int.Parse(published.Status.LocalAddress!.Split(':')[1], CultureInfo.InvariantCulture);
        Assert.Equal("hello", await RoundTripAsync(port, "hello"));

        await harness.AnnotateAsync("bastion", "1");
        await harness.WaitAsync("bastion", connection => connection.Status?.Rotation?.Count == 1 && connection.Status.PublicKey1 == withKeys.Status.PublicKey2, "rotated");
        sshd.RevokeKey(withKeys.Status.PublicKey1!);
        Assert.Equal("after rotation", await RoundTripAsync(port, "after rotation"));
        Assert.Equal(published.Status.LocalAddress, (await forwardsApi.GetAsync("echo")).Status!.LocalAddress);

        await forwardsApi.DeleteAsync("echo");
        await Eventually.Until(
            async () =>
            {
                try
                {
                    await EchoServer.RoundTripAsync(port, "gone?", CancellationToken.None);
                    return false;
                }
                catch (System.Net.Sockets.SocketException refused) when (refused.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
                {
                    return true;
                }
                catch (System.Net.Sockets.SocketException reset) when (reset.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
                {
                    // Reset at connect while the listener closes (the kernel had queued the connection): not refused yet.
                    return false;
                }
                catch (IOException)
                {
                    // Reset on the stream while the listener closes: not refused yet.
                    return false;
                }
            },
            "the forwarder to stop listening once its SshPortForward is deleted");
    }

    /// <summary>Round-trips through the forwarder; retried while its session logs in (it listens before it is authenticated).</summary>
    private static Task<string> RoundTripAsync(int port, string message) =>
        Eventually.Until(
            async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    return await EchoServer.RoundTripAsync(port, message, timeout.Token);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
                {
                    return null;
                }
            },
            answer => answer == message,
            $"'{message}' echoed through 127.0.0.1:{port}")!;
}
