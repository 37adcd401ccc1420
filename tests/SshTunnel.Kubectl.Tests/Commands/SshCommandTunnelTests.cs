using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Tests.Testing;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Kubectl.Tests.Commands;

/// <summary>The command ssh-command prints, run as it is printed, against a real sshd that trusts only key 2.</summary>
public sealed class SshCommandTunnelTests
{
    [Fact]
    public async Task ThePrintedCommandOpensTheTunnelWithTheSecretsKeysAndKnownHosts()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var echo = new EchoServer();
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse", new ConnectionSpec { Host = sshd.Host, Port = sshd.Port, User = sshd.User, Validate = true });
        var keys = await cluster.WaitForKeysAsync("warehouse");
        sshd.SetAuthorizedKeys(keys.Status!.PublicKey1!, keys.Status.PublicKey2!);
        await Eventually.Until(
            () => cluster.GetAsync("warehouse"),
            connection => connection.Status?.HostKeyFingerprint is not null && connection.Status.Conditions.Any(condition => condition is { Type: ConditionTypes.Validated, Status: "True" }),
            "a login that records the host key");
        sshd.SetAuthorizedKeys(keys.Status.PublicKey2!);
        var localPort = FreePort.Find();

        var printed = (await cluster.SshTunnelAsync("ssh-command", "warehouse", "-L", $"{localPort}:127.0.0.1:{echo.Port}", "--key-dir", "keys")).Succeeded();

        Assert.Empty(printed.Error);
        await using var ssh = RunningProcess.Start("bash", ["-c", "exec " + printed.Output.Trim()], new ProcessOptions { WorkingDirectory = cluster.Cluster.Folder });
        var answer = await EchoServer.ThroughTunnelAsync(ssh, localPort, "through the bastion\n", () => "sshd:\n" + sshd.Log);
        Assert.Equal("through the bastion\n", answer);
    }
}
