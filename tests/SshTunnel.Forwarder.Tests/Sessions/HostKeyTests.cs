using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Forwarder.Tests.Support;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Forwarder.Tests.Sessions;

/// <summary>The bastion's host key against the Secret's known_hosts, with real sshds.</summary>
public sealed class HostKeyTests
{
    [Fact]
    public async Task A_bastion_whose_host_key_changed_is_refused_reported_and_not_forwarded_to()
    {
        // The Secret pins the host key of one sshd; the address answers with another's key.
        await using var pinned = await SshdServer.StartAsync();
        await using var impostor = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("host-key-1");
        var key2 = SshKeyPair.Generate("host-key-2");
        impostor.SetAuthorizedKeys(key1.PublicKeyLine, key2.PublicKeyLine);
        SshPublicKey.TryParse(pinned.HostKeyLine, out var pinnedKey, out _);
        var knownHosts = KnownHostsLine.Format(new ConnectionParameters(impostor.Host, impostor.Port, impostor.User), pinnedKey!);

        await using var forwarder = await ForwarderHarness.StartAsync(impostor, key1, key2, knownHosts, TimeSpan.FromSeconds(1));
        await forwarder.WaitUntilAsync(
            () => forwarder.Detail.Contains("does not match the Secret's known_hosts", StringComparison.Ordinal),
            "the forwarder to report the changed host key");

        Assert.False(forwarder.IsReady);
        Assert.Contains(impostor.HostKeyFingerprint, forwarder.Detail, StringComparison.Ordinal);
        Assert.NotNull(await EchoConnection.OnceAsync(forwarder.Port));
        Assert.Equal(0, forwarder.Echo.Accepted);
        Assert.DoesNotContain("Accepted publickey", impostor.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_known_hosts_the_host_key_is_accepted_and_reported_as_unverified()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("unverified-1");
        var key2 = SshKeyPair.Generate("unverified-2");
        sshd.SetAuthorizedKeys(key1.PublicKeyLine);

        await using var forwarder = await ForwarderHarness.StartAsync(sshd, key1, key2, knownHosts: "");
        await forwarder.WaitUntilServingWithAsync(key1);

        Assert.Contains($"host key {sshd.HostKeyFingerprint} accepted UNVERIFIED", forwarder.Detail, StringComparison.Ordinal);
        Assert.Contains(forwarder.Logs.Lines, line => line.Contains("UNVERIFIED", StringComparison.Ordinal));
        Assert.Null(await EchoConnection.OnceAsync(forwarder.Port));
    }

    [Fact]
    public async Task Key_2_authenticates_while_the_bastion_no_longer_trusts_key_1()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("second-1");
        var key2 = SshKeyPair.Generate("second-2");
        sshd.SetAuthorizedKeys(key2.PublicKeyLine);

        await using var forwarder = await ForwarderHarness.StartAsync(sshd, key1, key2);
        await forwarder.WaitUntilServingWithAsync(key2);

        Assert.Contains("authenticated with key 2", forwarder.Detail, StringComparison.Ordinal);
        Assert.Null(await EchoConnection.OnceAsync(forwarder.Port));
    }
}
