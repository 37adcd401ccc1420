using SshTunnel.Operator.Keys;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Operator.Tests.Keys;

/// <summary>Generated keys checked by the real ssh-keygen.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Ed25519KeyPairSourceTests
{
    [Fact]
    public async Task Ssh_keygen_derives_the_published_public_key_from_the_private_key()
    {
        var pair = new Ed25519KeyPairSource().Create("default/warehouse-bastion");
        var folder = Directory.CreateTempSubdirectory("keypair-");
        try
        {
            var keyFile = Path.Combine(folder.FullName, "id_ed25519");
            await File.WriteAllTextAsync(keyFile, pair.PrivateKey);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var derived = (await ProcessRunner.RunAsync("ssh-keygen", "-y", "-f", keyFile)).Succeeded().Output;

            Assert.StartsWith("ssh-ed25519 ", pair.PublicKey, StringComparison.Ordinal);
            Assert.EndsWith(" default/warehouse-bastion", pair.PublicKey, StringComparison.Ordinal);
            Assert.Equal(string.Join(' ', pair.PublicKey.Split(' ')[..2]), string.Join(' ', derived.Trim().Split(' ')[..2]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_pair_is_new()
    {
        var source = new Ed25519KeyPairSource();
        var keys = Enumerable.Range(0, 50).Select(_ => source.Create("c").PublicKey).ToHashSet();
        Assert.Equal(50, keys.Count);
    }
}
