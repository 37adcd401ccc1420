using System.Text;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.EndToEnd.Tests.AnyCluster;

/// <summary>
/// A user's flow with kubectl on the target cluster: keys generated and published, a rotation
/// that promotes pair 2, the Secret collected with its connection; nothing secret in the logs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class KeyLifecycleTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task Apply_rotate_and_delete_with_kubectl()
    {
        await fixture.Cluster.ApplyAsync("""
            apiVersion: sshtunnels.io/v1alpha1
            kind: SshTunnelConnection
            metadata:
              name: lifecycle
            spec:
              host: bastion.example.com
              user: tunnel
              validate: false
            """);
        var key1 = await fixture.WaitForAsync("stc/lifecycle", "{.status.publicKey1}", IsPublicKey, "public key 1");
        var key2 = await fixture.WaitForAsync("stc/lifecycle", "{.status.publicKey2}", IsPublicKey, "public key 2");
        Assert.Equal(KeyOf(key1), await DerivePublicKeyAsync("lifecycle-ssh-keys", "private-key-1"));
        Assert.Equal(KeyOf(key2), await DerivePublicKeyAsync("lifecycle-ssh-keys", "private-key-2"));

        await fixture.KubectlAsync("annotate", "stc/lifecycle", "sshtunnels.io/rotate-keys=2000000000", "--overwrite");
        await fixture.WaitForAsync("stc/lifecycle", "{.status.publicKey1}", key => key == key2, "key 2 promoted to key 1");
        Assert.Equal("1", await fixture.KubectlAsync("get", "stc/lifecycle", "-o", "jsonpath={.status.rotation.count}"));
        Assert.Equal(KeyOf(key2), await DerivePublicKeyAsync("lifecycle-ssh-keys", "private-key-1"));
        Assert.Equal("1", await fixture.KubectlAsync("get", "secret", "lifecycle-ssh-keys", "-o", "jsonpath={.metadata.annotations.sshtunnels\\.io/rotation-count}"));

        await fixture.KubectlAsync("delete", "stc/lifecycle");
        await fixture.WaitForAsync("secrets", "{.items[*].metadata.name}", names => !names.Contains("lifecycle-ssh-keys", StringComparison.Ordinal), "the Secret to be collected");
        Assert.DoesNotContain("PRIVATE KEY", fixture.Operator.Output, StringComparison.Ordinal);
    }

    private static bool IsPublicKey(string value) => value.StartsWith("ssh-ed25519 ", StringComparison.Ordinal);

    private static string KeyOf(string publicKeyLine) => string.Join(' ', publicKeyLine.Trim().Split(' ')[..2]);

    /// <summary>The public key the real ssh-keygen derives from a private key of the Secret.</summary>
    private async Task<string> DerivePublicKeyAsync(string secret, string dataKey)
    {
        var encoded = await fixture.KubectlAsync("get", "secret", secret, "-o", $"jsonpath={{.data.{dataKey}}}");
        var keyFile = Path.Combine(fixture.Cluster.Folder, dataKey);
        await File.WriteAllTextAsync(keyFile, Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return KeyOf((await ProcessRunner.RunAsync("ssh-keygen", "-y", "-f", keyFile)).Succeeded().Output);
    }
}
