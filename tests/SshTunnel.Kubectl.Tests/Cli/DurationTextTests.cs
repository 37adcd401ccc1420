using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Tests.Cli;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h0m5s", 3605)]
    public void ParsesKubectlDurations(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("5 m")]
    [InlineData("00:05:00")]
    [InlineData("1d")]
    public void RefusesEverythingElse(string text) => Assert.Null(DurationText.Parse(text));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(300, "5m")]
    [InlineData(90061, "25h1m1s")]
    public void FormatsTheShortestForm(int seconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromSeconds(seconds)));
}
