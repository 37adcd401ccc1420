using SshTunnel.Operator.Hosting;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The command-line flags.</summary>
public sealed class OperatorOptionsTests
{
    [Fact]
    public void Defaults_apply_without_flags()
    {
        var options = OperatorOptions.Parse([]);

        Assert.Equal(new OperatorOptions(), options with { Namespaces = new OperatorOptions().Namespaces });
        Assert.Empty(options.Namespaces);
        Assert.Equal(4, options.ProbeConcurrency);
        Assert.Equal(TimeSpan.FromMinutes(10), options.RevalidateInterval);
        Assert.False(options.Dev);
        Assert.False(options.LeaderElect);
    }

    [Fact]
    public void Every_flag_is_read()
    {
        var options = OperatorOptions.Parse(
        [
            "--workers", "8", "--namespaces", "a, b", "--resync-period=90s", "--probe-concurrency", "2",
            "--revalidate-interval", "00:05:00", "--dev", "--dev-kubeconfig", "/tmp/kc",
            "--leader-elect", "--leader-election-namespace", "operators",
        ]);

        Assert.Equal(8, options.Workers);
        Assert.Equal(["a", "b"], options.Namespaces);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ResyncPeriod);
        Assert.Equal(2, options.ProbeConcurrency);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RevalidateInterval);
        Assert.True(options.Dev);
        Assert.Equal("/tmp/kc", options.DevKubeconfig);
        Assert.True(options.LeaderElect);
        Assert.Equal("operators", options.LeaderElectionNamespace);
    }

    [Theory]
    [InlineData("--workers", "0")]
    [InlineData("--workers", "many")]
    [InlineData("--resync-period", "soon")]
    [InlineData("--revalidate-interval", "-5m")]
    [InlineData("--wokers", "4")]
    [InlineData("--health-port", "http")]
    public void A_bad_value_is_refused_with_the_flag_name(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse([flag, value]));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }
}
