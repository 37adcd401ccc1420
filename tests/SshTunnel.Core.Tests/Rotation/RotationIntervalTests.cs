using SshTunnel.Core.Rotation;

namespace SshTunnel.Core.Tests.Rotation;

public sealed class RotationIntervalTests
{
    [Theory]
    [InlineData("720h", 720 * 3600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2h0m15s", 7215)]
    [InlineData("01h", 3600)]
    public void Reads_hours_with_optional_minutes_and_seconds(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RotationInterval.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("90m")]
    [InlineData("0h30m")]
    [InlineData("30d")]
    [InlineData("1.5h")]
    [InlineData("24 h")]
    [InlineData("-1h")]
    public void Refuses_what_the_CRD_refuses(string? text) => Assert.Null(RotationInterval.Parse(text));
}
