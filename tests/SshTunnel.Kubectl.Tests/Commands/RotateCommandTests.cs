using SshTunnel.Core.Model;
using SshTunnel.Kubectl.Tests.Testing;

namespace SshTunnel.Kubectl.Tests.Commands;

public sealed class RotateCommandTests
{
    [Fact]
    public async Task RotateWaitReturnsAfterExactlyOneRotation()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        var before = await cluster.WaitForKeysAsync("warehouse");

        var result = (await cluster.SshTunnelAsync("rotate", "warehouse", "--wait")).Succeeded();

        var after = await cluster.GetAsync("warehouse");
        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal("1", after.Metadata.Annotations[ResourceNames.RotateKeysAnnotation]);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        Assert.NotEqual(before.Status.PublicKey2, after.Status.PublicKey2);
        Assert.Contains($"key 1 is {after.Status.PublicKey1Fingerprint}", result.Output, StringComparison.Ordinal);
        await cluster.WaitForIdleAsync(after.Metadata.ResourceVersion);
        Assert.Equal(1, (await cluster.GetAsync("warehouse")).Status!.Rotation!.Count);
    }

    [Fact]
    public async Task RotateBumpsAboveAnAnnotationSetByHand()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        await cluster.WaitForKeysAsync("warehouse");
        (await cluster.SshTunnelAsync("rotate", "warehouse", "--wait")).Succeeded();
        await cluster.Cluster.Kubectl.RunAsync("annotate", "stc", "warehouse", ResourceNames.RotateKeysAnnotation + "=1700000000", "--overwrite");
        await cluster.Cluster.Kubectl.WaitForAsync("stc/warehouse", "{.status.rotation.count}", count => count == "2", "the hand-made rotation");

        (await cluster.SshTunnelAsync("rotate", "warehouse", "--wait", "--timeout", "1m")).Succeeded();

        var after = await cluster.GetAsync("warehouse");
        Assert.Equal(3, after.Status!.Rotation!.Count);
        Assert.Equal("1700000001", after.Status.Rotation.Handled);
    }

    [Fact]
    public async Task RotateWithoutWaitOnlyAnnotates()
    {
        await using var cluster = await PluginCluster.StartAsync();
        await cluster.CreateAsync("warehouse");
        await cluster.WaitForKeysAsync("warehouse");

        var result = (await cluster.SshTunnelAsync("rotate", "warehouse")).Succeeded();

        Assert.Equal($"sshtunnelconnection/warehouse annotated {ResourceNames.RotateKeysAnnotation}=1\n", result.Output);
    }

    [Theory]
    [InlineData("soon", "--timeout \"soon\" is not a duration")]
    [InlineData("-5m", "--timeout \"-5m\" is not a duration")]
    public async Task ABadTimeoutIsRefusedByName(string timeout, string expected)
    {
        await using var cluster = await PluginCluster.StartAsync();

        var result = (await cluster.SshTunnelAsync("rotate", "warehouse", "--wait", "--timeout", timeout)).Failed();

        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownFlagIsRefusedByName()
    {
        await using var cluster = await PluginCluster.StartAsync();

        var result = (await cluster.SshTunnelAsync("rotate", "warehouse", "--force")).Failed();

        Assert.Contains("--force", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingConnectionIsNamed()
    {
        await using var cluster = await PluginCluster.StartAsync();

        var result = (await cluster.SshTunnelAsync("rotate", "nothing", "--wait")).Failed();

        Assert.Equal("error: SshTunnelConnection nothing not found in namespace default\n", result.Error);
    }
}
