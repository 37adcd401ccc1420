using SshTunnel.Core.Rotation;

namespace SshTunnel.Core.Tests.Rotation;

public sealed class RotationTokenTests
{
    [Theory]
    [InlineData("1764200000", 1764200000L)]
    [InlineData("0", 0L)]
    [InlineData("-3", -3L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_are_valid(string raw, long value)
    {
        var token = RotationToken.Parse(raw);

        Assert.True(token.IsValid);
        Assert.Equal(value, token.Value);
        Assert.Null(token.Problem);
    }

    [Theory]
    [InlineData("now", "is not an integer")]
    [InlineData("0x10", "is not an integer")]
    [InlineData("1e9", "is not an integer")]
    [InlineData("--1", "is not an integer")]
    [InlineData(" 7", "not a plain base-10 integer (digits only: no spaces, plus sign or leading zeros); write it as 7")]
    [InlineData("42 ", "write it as 42")]
    [InlineData("+8", "write it as 8")]
    [InlineData("08", "write it as 8")]
    [InlineData("-0", "write it as 0")]
    [InlineData("", "is not an integer")]
    [InlineData("9223372036854775808", "is out of range")]
    [InlineData("-99999999999999999999", "is out of range")]
    public void Other_text_is_refused_with_a_reason(string raw, string expected)
    {
        var token = RotationToken.Parse(raw);

        Assert.False(token.IsValid);
        Assert.False(token.IsAbsent);
        Assert.Contains(expected, token.Problem);
        Assert.Contains("sshtunnels.io/rotate-keys", token.Problem);
    }

    [Fact]
    public void An_absent_annotation_is_neither_valid_nor_a_problem()
    {
        var token = RotationToken.Parse(null);

        Assert.True(token.IsAbsent);
        Assert.False(token.IsValid);
        Assert.Null(token.Problem);
        Assert.False(token.IsNewerThan(null));
    }

    [Theory]
    [InlineData("5", null, true)]
    [InlineData("5", "4", true)]
    [InlineData("5", "5", false)]
    [InlineData("5", "6", false)]
    [InlineData("x", null, false)]
    public void Newer_means_a_valid_value_greater_than_the_handled_one(string raw, string? handled, bool newer) =>
        Assert.Equal(newer, RotationToken.Parse(raw).IsNewerThan(handled));

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("3", null, "3")]
    [InlineData(null, "4", "4")]
    [InlineData("10", "9", "10")]
    [InlineData("7", "x", "7")]
    public void Max_picks_the_greater_valid_value(string? first, string? second, string? expected) =>
        Assert.Equal(expected, RotationToken.Max(first, second));
}
