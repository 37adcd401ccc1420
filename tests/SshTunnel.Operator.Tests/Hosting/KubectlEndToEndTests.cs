using System.Text;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The user's flow with the real kubectl against the emulator, the operator running in-process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubectlEndToEndTests : IAsyncLifetime
{
    private const string Connection = "stc/warehouse-bastion";
    private readonly DirectoryInfo workspace = Directory.CreateTempSubdirectory("kubectl-e2e-");
    private OperatorHarness harness = null!;
    private Kubectl kubectl = null!;

    public async Task InitializeAsync()
    {
        var cluster = await EmulatedCluster.StartAsync(withCrds: false);
        kubectl = cluster.Kubectl;
        await kubectl.RunAsync("apply", "-f", "crds/sshtunnelconnections.yaml", "-f", "crds/sshportforwards.yaml");
        harness = await OperatorHarness.StartAsync(cluster);
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        workspace.Delete(recursive: true);
    }

    [Fact]
    public async Task Apply_rotate_change_the_port_reset_it_and_delete()
    {
        await kubectl.RunAsync("apply", "-f", "crds/examples/warehouse-bastion.yaml");
        var key1 = await kubectl.WaitForAsync(Connection, "{.status.publicKey1}", key => key.StartsWith("ssh-ed25519 ", StringComparison.Ordinal), "public key 1");
        var key2 = await kubectl.WaitForAsync(Connection, "{.status.publicKey2}", key => key.StartsWith("ssh-ed25519 ", StringComparison.Ordinal), "public key 2");
        Assert.Equal(KeyOf(key1), await DerivePublicKeyAsync("private-key-1"));
        Assert.Equal(KeyOf(key2), await DerivePublicKeyAsync("private-key-2"));
        Assert.Contains("warehouse-bastion", await kubectl.RunAsync("get", "stc"), StringComparison.Ordinal);

        await kubectl.RunAsync("annotate", Connection, "sshtunnels.io/rotate-keys=1764300000", "--overwrite");
        await kubectl.WaitForAsync(Connection, "{.status.publicKey1}", key => key == key2, "key 2 promoted to key 1");
        Assert.Equal("1", await kubectl.RunAsync("get", Connection, "-o", "jsonpath={.status.rotation.count}"));
        Assert.Equal(KeyOf(key2), await DerivePublicKeyAsync("private-key-1"));

        await kubectl.RunAsync("patch", Connection, "--type", "merge", "-p", """{"spec":{"port":2222}}""");
        await kubectl.WaitForAsync(Connection, "{.status.connection.port}", port => port == "2222", "port 2222 in effect");

        await kubectl.RunAsync("patch", Connection, "--type", "json", "-p", """[{"op":"remove","path":"/spec/port"}]""");
        await kubectl.WaitForAsync(Connection, "{.status.connection.port}", port => port == "22", "port 22 back in effect");

        await kubectl.RunAsync("delete", Connection);
        await Eventually.Until(
            async () => (await kubectl.TryRunAsync("get", "secret", "warehouse-bastion-ssh-keys")).ExitCode,
            exitCode => exitCode != 0,
            "the Secret to be collected");
    }

    [Fact]
    public async Task Keys_brought_as_the_README_shows_are_adopted()
    {
        var key1 = Path.Combine(workspace.FullName, "key1");
        var key2 = Path.Combine(workspace.FullName, "key2");
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", "warehouse-key-1", "-f", key1)).Succeeded();
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", "warehouse-key-2", "-f", key2)).Succeeded();

        await kubectl.RunAsync(
            "create", "secret", "generic", "warehouse-bastion-ssh-keys", "--type=sshtunnels.io/key-pairs",
            $"--from-file=private-key-1={key1}", $"--from-file=public-key-1={key1}.pub",
            $"--from-file=private-key-2={key2}", $"--from-file=public-key-2={key2}.pub");
        await kubectl.RunAsync(
            "label", "secret", "warehouse-bastion-ssh-keys",
            "app.kubernetes.io/managed-by=ssh-tunnel-operator", "sshtunnels.io/connection=warehouse-bastion");
        await kubectl.RunAsync("apply", "-f", "crds/examples/warehouse-bastion.yaml");

        var published = await kubectl.WaitForAsync(Connection, "{.status.publicKey1}", key => key.StartsWith("ssh-ed25519 ", StringComparison.Ordinal), "public key 1");
        Assert.Equal((await File.ReadAllTextAsync(key1 + ".pub")).Trim(), published);
        Assert.Equal((await File.ReadAllTextAsync(key2 + ".pub")).Trim(), await kubectl.RunAsync("get", Connection, "-o", "jsonpath={.status.publicKey2}"));
        Assert.Equal("0", await kubectl.RunAsync("get", Connection, "-o", "jsonpath={.status.rotation.count}"));
        Assert.Contains("KeysAdopted", await kubectl.RunAsync("get", "events", "--field-selector", "reason=KeysAdopted", "-o", "jsonpath={.items[*].reason}"), StringComparison.Ordinal);
    }

    private static string KeyOf(string publicKeyLine) => string.Join(' ', publicKeyLine.Trim().Split(' ')[..2]);

    private async Task<string> DerivePublicKeyAsync(string dataKey)
    {
        var encoded = await kubectl.RunAsync("get", "secret", "warehouse-bastion-ssh-keys", "-o", $"jsonpath={{.data.{dataKey}}}");
        var keyFile = Path.Combine(workspace.FullName, dataKey);
        await File.WriteAllTextAsync(keyFile, Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return KeyOf((await ProcessRunner.RunAsync("ssh-keygen", "-y", "-f", keyFile)).Succeeded().Output);
    }
}
