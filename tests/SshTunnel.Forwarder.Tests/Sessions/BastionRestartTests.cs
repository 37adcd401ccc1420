using SshTunnel.Forwarder.Tests.Support;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Forwarder.Tests.Sessions;

/// <summary>The bastion's sshd goes away and comes back: the forwarder notices, waits, and logs in again by itself.</summary>
public sealed class BastionRestartTests
{
    [Fact]
    public async Task Connections_made_while_sshd_restarts_wait_for_the_new_session_and_the_forwarder_reconnects_by_itself()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("restart-1");
        var key2 = SshKeyPair.Generate("restart-2");
        sshd.SetAuthorizedKeys(key1.PublicKeyLine, key2.PublicKeyLine);
        await using var forwarder = await ForwarderHarness.StartAsync(sshd, key1, key2);
        await forwarder.WaitUntilServingWithAsync(key1);

        await sshd.StopAsync();
        await forwarder.WaitUntilAsync(() => !forwarder.IsReady, "the forwarder to notice that the session dropped");
        var duringRestart = Enumerable.Range(0, 4).Select(_ => EchoConnection.OnceAsync(forwarder.Port)).ToArray();
        await forwarder.WaitUntilAsync(
            () => forwarder.Logs.Lines.Any(line => line.Contains("Login to", StringComparison.Ordinal) && line.Contains("failed", StringComparison.Ordinal)),
            "a login to fail while sshd is down");
        Assert.All(duringRestart, connection => Assert.False(connection.IsCompleted));

        await sshd.StartAgainAsync();
        Assert.All(await Task.WhenAll(duringRestart), Assert.Null);
        await forwarder.WaitUntilServingWithAsync(key1);
        Assert.Null(await EchoConnection.OnceAsync(forwarder.Port));
        Assert.Contains(forwarder.Logs.Lines, line => line.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_made_while_the_bastion_stays_down_fails_once_the_wait_is_over_with_the_reason_logged()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("down-1");
        var key2 = SshKeyPair.Generate("down-2");
        sshd.SetAuthorizedKeys(key1.PublicKeyLine, key2.PublicKeyLine);
        await using var forwarder = await ForwarderHarness.StartAsync(sshd, key1, key2, sessionWait: TimeSpan.FromSeconds(1));
        await forwarder.WaitUntilServingWithAsync(key1);

        await sshd.StopAsync();
        await forwarder.WaitUntilAsync(() => !forwarder.IsReady, "the forwarder to notice that the session dropped");

        Assert.NotNull(await EchoConnection.OnceAsync(forwarder.Port));
        Assert.Contains(forwarder.Logs.Lines, line => line.Contains("no authenticated session", StringComparison.Ordinal));
        Assert.Contains("not ready", forwarder.Detail, StringComparison.Ordinal);
    }
}
