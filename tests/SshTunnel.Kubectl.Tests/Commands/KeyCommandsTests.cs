using k8s;
using SshTunnel.Core.Secrets;
using SshTunnel.Kubectl.Tests.Testing;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Kubectl.Tests.Commands;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeyCommandsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--restrict")]
    [InlineData("--permit-open db.internal:5432 --permit-open [fd00::1]:5432")]
    public async Task AuthorizedKeysAreLinesSshKeygenReadsWithTheStatusFingerprints(string flags)
    {
        var options = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        var status = (await cluster.WaitForKeysAsync("warehouse")).Status!;

        var result = (await cluster.SshTunnelAsync(["authorized-keys", "warehouse", .. options])).Succeeded();

        var file = Path.Combine(cluster.Cluster.Folder, "authorized_keys");
        await File.WriteAllTextAsync(file, result.Output);
        var listed = (await ProcessRunner.RunAsync("ssh-keygen", "-l", "-f", file)).Succeeded().Output;
        var fingerprints = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[1]).ToList();
        Assert.Equal([status.PublicKey1Fingerprint!, status.PublicKey2Fingerprint!], fingerprints);
        Assert.All(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Equal(options.Length > 0, line.StartsWith("restrict,port-forwarding", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ABadPermitOpenIsRefusedByName()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        await cluster.WaitForKeysAsync("warehouse");

        var result = (await cluster.SshTunnelAsync("authorized-keys", "warehouse", "--permit-open", "db.internal")).Failed();

        Assert.StartsWith("error: --permit-open \"db.internal\" is not host:port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshCommandWritesTheSecretsKeysPrivatelyAndUsesThem()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        await cluster.WaitForKeysAsync("warehouse");
        var folder = Path.Combine(cluster.Cluster.Folder, "keys");

        var result = (await cluster.SshTunnelAsync("ssh-command", "warehouse", "-L", "5432:db.internal:5432", "--key-dir", folder)).Succeeded();

        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync(KeySecretLayout.SecretName("warehouse"), PluginCluster.Namespace);
        foreach (var key in new[] { KeySecretLayout.PrivateKey1, KeySecretLayout.PrivateKey2 })
        {
            var path = Path.Combine(folder, key);
            Assert.Equal(secret.Data[key], await File.ReadAllBytesAsync(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            (await ProcessRunner.RunAsync("ssh-keygen", "-y", "-f", path)).Succeeded();
        }

        Assert.Equal(
            $"ssh -i {folder}/private-key-1 -i {folder}/private-key-2 -o IdentitiesOnly=yes -o UserKnownHostsFile={folder}/known_hosts "
            + "-o StrictHostKeyChecking=yes -o ExitOnForwardFailure=yes -o ServerAliveInterval=10 -o ServerAliveCountMax=3 "
            + "-p 22 -N -L 5432:db.internal:5432 materialize@bastion.example.com\n",
            result.Output);
        Assert.Contains("has no known_hosts yet", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshCommandNeedsAForward()
    {
        await using var cluster = await PluginCluster.StartAsync();

        var result = (await cluster.SshTunnelAsync("ssh-command", "warehouse")).Failed();

        Assert.Contains("--local-forward", result.Error, StringComparison.Ordinal);
    }
}
