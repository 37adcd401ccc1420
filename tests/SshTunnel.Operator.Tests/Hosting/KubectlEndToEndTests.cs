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
        await kubectl.RunAsync("apply", "-f", "crds/sshtunnelconnections.yaml");
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
