using SshTunnel.Forwarder.Tests.Support;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Forwarder.Tests.Sessions;

/// <summary>
/// Key rotation as the operator and a bastion admin do it, in the worst order, under a steady
/// load of new and long-lived connections through a real sshd.
/// </summary>
public sealed class KeyRotationTests
{
    private const int LongLivedConnections = 8;

    [Fact]
    public async Task Two_rotations_with_authorized_keys_updated_in_the_worst_order_fail_no_connection_and_cut_none()
    {
        await using var sshd = await SshdServer.StartAsync();
        var keys = Enumerable.Range(1, 4).Select(i => SshKeyPair.Generate($"rotation-{i}")).ToArray();
        sshd.SetAuthorizedKeys(keys[0].PublicKeyLine, keys[1].PublicKeyLine);
        await using var forwarder = await ForwarderHarness.StartAsync(sshd, keys[0], keys[1]);
        await forwarder.WaitUntilServingWithAsync(keys[0]);

        var longLived = new List<EchoConnection>();
        for (var i = 0; i < LongLivedConnections; i++)
        {
            longLived.Add(await EchoConnection.OpenAsync(forwarder.Port));
        }

        using var load = new ConnectionLoad(forwarder.Port, longLived);
        for (var rotation = 1; rotation <= 2; rotation++)
        {
            var (oldKey1, newKey1, newKey2) = (keys[rotation - 1], keys[rotation], keys[rotation + 1]);

            // The admin drops the old key 1 at once; the pod still has the old Secret for a while.
            sshd.RevokeKey(oldKey1.PublicKeyLine);
            await load.WaitForMoreRoundsAsync();

            forwarder.Publish(newKey1, newKey2, ForwarderHarness.KnownHostsOf(sshd));
            await forwarder.WaitUntilServingWithAsync(newKey1);
            await load.WaitForMoreRoundsAsync();

            // The new key 2 reaches the bastion last.
            sshd.AuthorizeKey(newKey2.PublicKeyLine);
            await load.WaitForMoreRoundsAsync();
        }

        var failures = await load.StopAsync();
        Assert.True(failures.Count == 0, $"{failures.Count} of {load.Attempts} connections failed: {string.Join("; ", failures.Take(5))}\n{forwarder.Logs.Text}");
        foreach (var connection in longLived)
        {
            Assert.Null(await connection.RoundTripAsync());
            connection.Dispose();
        }

        Assert.DoesNotContain(forwarder.Logs.Lines, line => line.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_rotations_without_updating_the_bastion_refuse_new_connections_clearly_and_recover_once_it_is_fixed()
    {
        await using var sshd = await SshdServer.StartAsync();
        var keys = Enumerable.Range(1, 4).Select(i => SshKeyPair.Generate($"stale-{i}")).ToArray();
        sshd.SetAuthorizedKeys(keys[0].PublicKeyLine, keys[1].PublicKeyLine);
        await using var forwarder = await ForwarderHarness.StartAsync(sshd, keys[0], keys[1], sessionWait: TimeSpan.FromSeconds(1));
        await forwarder.WaitUntilServingWithAsync(keys[0]);

        forwarder.Publish(keys[1], keys[2], ForwarderHarness.KnownHostsOf(sshd));
        await forwarder.WaitUntilServingWithAsync(keys[1]);
        forwarder.Publish(keys[2], keys[3], ForwarderHarness.KnownHostsOf(sshd));

        await forwarder.WaitUntilAsync(
            () => !forwarder.IsReady && forwarder.Detail.Contains("refused key 1", StringComparison.Ordinal),
            "the forwarder to report that the bastion refuses both keys");
        Assert.Contains(keys[2].Fingerprint, forwarder.Detail, StringComparison.Ordinal);
        Assert.Contains(keys[3].Fingerprint, forwarder.Detail, StringComparison.Ordinal);
        Assert.Contains("authorized_keys", forwarder.Detail, StringComparison.Ordinal);

        var accepted = forwarder.Echo.Accepted;
        Assert.NotNull(await EchoConnection.OnceAsync(forwarder.Port));
        Assert.Equal(accepted, forwarder.Echo.Accepted);
        Assert.Contains(forwarder.Logs.Lines, line => line.Contains("no authenticated session", StringComparison.Ordinal) && line.Contains("refused key 1", StringComparison.Ordinal));

        sshd.AuthorizeKey(keys[2].PublicKeyLine);
        await forwarder.WaitUntilServingWithAsync(keys[2]);
        Assert.Null(await EchoConnection.OnceAsync(forwarder.Port));
    }
}
