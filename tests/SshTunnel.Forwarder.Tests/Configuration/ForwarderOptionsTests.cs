using System.Net;
using SshTunnel.Forwarder.Configuration;

namespace SshTunnel.Forwarder.Tests.Configuration;

public sealed class ForwarderOptionsTests
{
    [Fact]
    public void Reads_every_flag_in_both_spellings()
    {
        var options = ForwarderOptions.Parse(
        [
            "--secret-dir", "/etc/sshtunnel", "--forward=postgres=5432:db.internal:5432", "--forward", "redis=6379:[10.0.0.7]:6380",
            "--listen-address", "127.0.0.1", "--health-port=8080", "--keepalive", "5s", "--connect-timeout", "1m",
            "--session-wait", "500ms", "--backoff-initial", "2s", "--backoff-max", "1.5m", "--secret-poll", "3s",
            "--drain-timeout", "25s", "--cipher", "aes256-ctr",
        ]);

        Assert.Equal("/etc/sshtunnel", options.SecretDirectory);
        Assert.Equal([new ForwardSpec("postgres", 5432, "db.internal", 5432), new ForwardSpec("redis", 6379, "10.0.0.7", 6380)], options.Forwards);
        Assert.Equal(IPAddress.Loopback, options.ListenAddress);
        Assert.Equal(8080, options.HealthPort);
        Assert.Equal(TimeSpan.FromSeconds(5), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SessionWait);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(90), options.BackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(3), options.SecretPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(25), options.DrainTimeout);
        Assert.Equal("aes256-ctr", options.PreferredCipher);
    }

    [Fact]
    public void Defaults_follow_the_issue_keepalive_and_connect_timeout_and_prefer_aes128_gcm()
    {
        var options = ForwarderOptions.Parse(["--secret-dir", "/s", "--forward", "db=5432:db:5432"]);

        Assert.Equal(IPAddress.Any, options.ListenAddress);
        Assert.Null(options.HealthPort);
        Assert.Equal(TimeSpan.FromSeconds(10), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConnectTimeout);
        Assert.Equal("aes128-gcm@openssh.com", options.PreferredCipher);
    }

    [Theory]
    [InlineData("--forward db=5432:db:5432", "--secret-dir is required")]
    [InlineData("--secret-dir /s", "give 1 to 32 --forward flags, got 0")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 --forward db=5433:db:5432", "name 'db' is used twice")]
    [InlineData("--secret-dir /s --forward a=5432:db:5432 --forward b=5432:db:5433", "listen port 5432 is used twice")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 --listen-port 1", "unknown flag --listen-port")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 --keepalive 10", "--keepalive must be a duration such as 500ms, 30s or 2m, got '10'")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 --health-port 0", "--health-port must be a port from 1 to 65535")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 --listen-address nowhere", "--listen-address must be an IP address")]
    [InlineData("--secret-dir /s --secret-dir /t --forward db=5432:db:5432", "--secret-dir is given 2 times")]
    [InlineData("--secret-dir /s --forward db=5432:db:5432 stray", "unexpected argument 'stray'")]
    [InlineData("--secret-dir /s --forward", "--forward needs a value")]
    public void Bad_flags_say_what_to_fix(string commandLine, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ForwarderOptions.Parse(commandLine.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db5432:db:5432", "must look like name=listenPort:targetHost:targetPort")]
    [InlineData("db=5432:db", "must look like name=listenPort:targetHost:targetPort")]
    [InlineData("Db=5432:db:5432", "the name 'Db' must be")]
    [InlineData("db=0:db:5432", "ports must be integers from 1 to 65535")]
    [InlineData("db=5432:db:70000", "ports must be integers from 1 to 65535")]
    [InlineData("db=5432::5432", "the target host must be")]
    public void A_bad_forward_says_what_to_fix(string text, string expected)
    {
        Assert.False(ForwardSpec.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_take_a_unit(string text, int milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("s")]
    [InlineData("5d")]
    public void Durations_without_a_unit_or_not_positive_are_refused(string text) =>
        Assert.False(DurationText.TryParse(text, out _));
}
