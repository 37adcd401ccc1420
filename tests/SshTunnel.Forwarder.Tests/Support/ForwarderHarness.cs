using System.Net;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Hosting;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>
/// A forwarder running in this process against a real sshd, with its Secret in a kubelet-style
/// volume and one forward, <c>echo</c>, to a real TCP echo server reached through the bastion.
/// </summary>
public sealed class ForwarderHarness : IAsyncDisposable
{
    private readonly ForwarderService service;

    private ForwarderHarness(SshdServer sshd, KubeletSecretVolume volume, EchoServer echo, ForwarderService service, LogCollector logs)
    {
        Sshd = sshd;
        Volume = volume;
        Echo = echo;
        this.service = service;
        Logs = logs;
    }

    public SshdServer Sshd { get; }

    public KubeletSecretVolume Volume { get; }

    public EchoServer Echo { get; }

    public LogCollector Logs { get; }

    /// <summary>The local port of the <c>echo</c> forward.</summary>
    public int Port => service.Ports["echo"];

    public bool IsReady => service.Status.IsReady;

    public string Detail => service.Status.Detail;

    /// <summary>The options the tests use: short backoff and wait, so a recovery is quick; no timing is asserted.</summary>
    public static ForwarderOptions Options(string secretDirectory, int echoPort, TimeSpan sessionWait) => new()
    {
        SecretDirectory = secretDirectory,
        Forwards = [new ForwardSpec("echo", 0, IPAddress.Loopback.ToString(), echoPort)],
        ListenAddress = IPAddress.Loopback,
        BackoffInitial = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        SecretPollInterval = TimeSpan.FromMilliseconds(100),
        SessionWait = sessionWait,
        KeepAliveInterval = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        DrainTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// Starts sshd, writes the first Secret version with keys <paramref name="key1"/> and
    /// <paramref name="key2"/> and <paramref name="knownHosts"/> (by default sshd's host key; empty: no known_hosts),
    /// and starts the forwarder.
    /// </summary>
    public static async Task<ForwarderHarness> StartAsync(SshdServer sshd, SshKeyPair key1, SshKeyPair key2, string? knownHosts = null, TimeSpan? sessionWait = null)
    {
        var volume = new KubeletSecretVolume();
        var echo = new EchoServer();
        var logs = new LogCollector();
        var harness = new ForwarderHarness(
            sshd, volume, echo, new ForwarderService(Options(volume.Path, echo.Port, sessionWait ?? TimeSpan.FromSeconds(30)), logs, TimeProvider.System), logs);
        harness.Publish(key1, key2, knownHosts is "" ? null : knownHosts ?? KnownHostsOf(sshd));
        await harness.service.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>The known_hosts line the operator would write for <paramref name="sshd"/>.</summary>
    public static string KnownHostsOf(SshdServer sshd)
    {
        SshPublicKey.TryParse(sshd.HostKeyLine, out var hostKey, out _);
        return KnownHostsLine.Format(new ConnectionParameters(sshd.Host, sshd.Port, sshd.User), hostKey!) + "\n";
    }

    /// <summary>Publishes a new Secret version (a rotation, as the kubelet delivers it).</summary>
    public void Publish(SshKeyPair key1, SshKeyPair key2, string? knownHosts) =>
        Volume.Write(KubeletSecretVolume.KeySecret(Sshd.Host, Sshd.Port, Sshd.User, key1.PrivateKey, key2.PrivateKey, knownHosts));

    /// <summary>Waits until the forwarder serves with a session authenticated by <paramref name="key"/> (matched by its fingerprint in /readyz).</summary>
    public Task WaitUntilServingWithAsync(SshKeyPair key) =>
        WaitUntilAsync(() => IsReady && Detail.Contains(key.Fingerprint, StringComparison.Ordinal), $"a session authenticated with {key.Fingerprint}");

    /// <summary>Waits for <paramref name="condition"/>; a timeout shows /readyz's detail and sshd's log.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what) =>
        Eventually.Until(() => Task.FromResult(condition()), done => done, what, describe: _ => $"{Detail}\nsshd:\n{Sshd.Log}");

    public async ValueTask DisposeAsync()
    {
        await service.StopAsync(CancellationToken.None);
        await service.DisposeAsync();
        await Echo.DisposeAsync();
        Volume.Dispose();
    }
}
