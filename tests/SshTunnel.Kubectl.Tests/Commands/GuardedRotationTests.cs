using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Tests.Testing;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Kubectl.Tests.Commands;

/// <summary>rotate --wait and revalidate --wait against a real sshd, with the rotation guard in force.</summary>
public sealed class GuardedRotationTests
{
    [Fact]
    public async Task RotateWaitPrintsTheKeyToInstallAndReturnsOnceRevalidateSeesIt()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse", new ConnectionSpec { Host = sshd.Host, Port = sshd.Port, User = sshd.User, Validate = true });
        var before = await cluster.WaitForKeysAsync("warehouse");
        sshd.AuthorizeKey(before.Status!.PublicKey1!);
        (await cluster.SshTunnelAsync("revalidate", "warehouse", "--wait")).Succeeded();
        await Eventually.Until(
            () => cluster.GetAsync("warehouse"),
            connection => connection.Status!.Conditions.Any(condition => condition is { Type: ConditionTypes.SecondaryKeyAuthorized, Status: "False" }),
            "the bastion to refuse key 2");

        await using var rotate = cluster.StartSshTunnel("rotate", "warehouse", "--wait", "--timeout", "2m");
        await Eventually.Until(
            () => rotate.StandardOutputLines.Any(line => line.StartsWith("waiting (RotationBlocked)", StringComparison.Ordinal) && line.Contains(before.Status.PublicKey2Fingerprint!, StringComparison.Ordinal)),
            "rotate --wait to print the key to install:\n" + rotate.Output);
        Assert.Equal(0, (await cluster.GetAsync("warehouse")).Status!.Rotation!.Count);

        sshd.AuthorizeKey(before.Status.PublicKey2!);
        var revalidated = (await cluster.SshTunnelAsync("revalidate", "warehouse", "--wait")).Succeeded();
        await rotate.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(0, rotate.ExitCode);
        // The probe that answered the revalidation let the pending rotation through, so what it prints is about the rotated keys.
        Assert.Matches("\nValidated: (True|Unknown) .*\nSecondaryKeyAuthorized: ", revalidated.Output);
        var after = await cluster.GetAsync("warehouse");
        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal(before.Status.PublicKey2, after.Status.PublicKey1);
        await cluster.WaitForIdleAsync(after.Metadata.ResourceVersion);
        Assert.Equal(1, (await cluster.GetAsync("warehouse")).Status!.Rotation!.Count);
    }
}
