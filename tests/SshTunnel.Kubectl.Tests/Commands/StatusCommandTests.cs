using SshTunnel.Kubectl.Tests.Testing;

namespace SshTunnel.Kubectl.Tests.Commands;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task StatusNamesTheConnectionTheFingerprintsAndTheNextStep()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        var status = (await cluster.WaitForKeysAsync("warehouse")).Status!;

        var output = (await cluster.SshTunnelAsync("status", "warehouse")).Succeeded().Output;

        Assert.Contains("SshTunnelConnection default/warehouse", output, StringComparison.Ordinal);
        Assert.Contains("Connection in effect: materialize@bastion.example.com:22", output, StringComparison.Ordinal);
        Assert.Contains("Key 1 (in use):       " + status.PublicKey1Fingerprint, output, StringComparison.Ordinal);
        Assert.Contains("Key 2 (next):         " + status.PublicKey2Fingerprint, output, StringComparison.Ordinal);
        Assert.Contains("key 2:              unknown (spec.validate is false", output, StringComparison.Ordinal);
        Assert.Contains("Rotations:            0 (rotate-keys handled: none)", output, StringComparison.Ordinal);
        Assert.Contains("Next: validation is off", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevalidateRefusesAConnectionThatIsNeverValidated()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");

        var result = (await cluster.SshTunnelAsync("revalidate", "warehouse", "--wait")).Failed();

        Assert.StartsWith("error: SshTunnelConnection warehouse has spec.validate false", result.Error, StringComparison.Ordinal);
    }
}
