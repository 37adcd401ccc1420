using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Tests.Output;

public sealed class RotationTargetTests
{
    [Theory]
    [InlineData(null, null, 1)]
    [InlineData("4", null, 5)]
    [InlineData("4", "4", 5)]
    [InlineData("4", "9", 10)]
    [InlineData("9", "4", 10)]
    [InlineData("4", " 7", 5)]
    [InlineData("4", "soon", 5)]
    [InlineData(null, "1700000000", 1700000001)]
    [InlineData("-3", null, -2)]
    public void NextIsOneMoreThanTheLargerValidValue(string? handled, string? annotation, long expected) =>
        Assert.Equal(expected, RotationTarget.Next(handled, annotation));

    [Fact]
    public void NextRefusesWhenNoGreaterValueExists()
    {
        var error = Assert.Throws<PluginException>(() => RotationTarget.Next("9223372036854775807", null));
        Assert.Contains("largest 64-bit integer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1, false)]
    [InlineData("4", 5, false)]
    [InlineData("5", 5, true)]
    [InlineData("6", 5, true)]
    [InlineData("x", 5, false)]
    public void IsHandledWhenTheHandledValueReachedTheTarget(string? handled, long target, bool expected) =>
        Assert.Equal(expected, RotationTarget.IsHandled(handled, target));
}
