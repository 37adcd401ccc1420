using Kube.Controller.Backoff;
using Kube.Controller.Election;
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
        Assert.Equal(TimeSpan.FromSeconds(10), options.ApiTimeout);
        Assert.Equal(new ExponentialBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)), options.Recheck);
        Assert.False(options.LeaderElect);
    }

    [Fact]
    public void Every_flag_is_read()
    {
        var options = OperatorOptions.Parse(
        [
            "--workers", "8", "--namespaces", "a, b", "--resync-period=90s", "--probe-concurrency", "2",
            "--revalidate-interval", "00:05:00", "--recheck-initial", "2s", "--recheck-max=30s", "--api-timeout", "3s",
            "--leader-elect", "--leader-election-namespace", "operators", "--leader-election-lease-name", "release-a.ops",
            "--leader-election-lease-duration", "30s", "--leader-election-renew-deadline", "20s", "--leader-election-retry-period=5s",
            "--shutdown-timeout", "1m",
        ]);

        Assert.Equal(8, options.Workers);
        Assert.Equal(["a", "b"], options.Namespaces);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ResyncPeriod);
        Assert.Equal(2, options.ProbeConcurrency);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RevalidateInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ApiTimeout);
        Assert.Equal(new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)), options.Recheck);
        Assert.True(options.LeaderElect);
        Assert.Equal("operators", options.LeaderElectionNamespace);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ShutdownTimeout);
        Assert.Equal(
            new LeaderElectionOptions
            {
                Namespace = "operators",
                LeaseName = "release-a.ops",
                LeaseDuration = TimeSpan.FromSeconds(30),
                RenewDeadline = TimeSpan.FromSeconds(20),
                RetryPeriod = TimeSpan.FromSeconds(5),
                Identity = "me",
            },
            options.LeaderElection("ignored") with { Identity = "me" });
    }

    [Fact]
    public void Leader_election_defaults_follow_client_go()
    {
        var election = OperatorOptions.Parse([]).LeaderElection("pod-namespace");

        Assert.Equal("pod-namespace", election.Namespace);
        Assert.Equal("ssh-tunnel-operator", election.LeaseName);
        Assert.Equal(TimeSpan.FromSeconds(15), election.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), election.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), election.RetryPeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), OperatorOptions.Parse([]).ShutdownTimeout);
    }

    [Theory]
    [InlineData("--leader-election-renew-deadline", "15s")]
    [InlineData("--leader-election-renew-deadline", "20s")]
    [InlineData("--leader-election-retry-period", "10s")]
    public void Leader_election_timing_must_leave_the_leader_time_to_give_up(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse([flag, value]));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--recheck-initial", "2m", "--recheck-max", "1m")]
    [InlineData("--recheck-max", "20m")]
    public void Rechecks_must_grow_and_stay_within_the_revalidation_interval(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse(args));
        Assert.Contains("--recheck-", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--workers", "0")]
    [InlineData("--workers", "many")]
    [InlineData("--resync-period", "soon")]
    [InlineData("--api-timeout", "0s")]
    [InlineData("--revalidate-interval", "-5m")]
    [InlineData("--wokers", "4")]
    [InlineData("--health-port", "http")]
    [InlineData("--leader-election-lease-name", "Not_A_Name")]
    [InlineData("--leader-election-lease-name", "-dash")]
    [InlineData("--leader-election-lease-duration", "forever")]
    [InlineData("--shutdown-timeout", "0s")]
    public void A_bad_value_is_refused_with_the_flag_name(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse([flag, value]));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dev")]
    [InlineData("--dev-kubeconfig", "/tmp/kc")]
    [InlineData("--workers", "2", "--dev=true")]
    public void The_old_dev_flags_point_to_the_dev_host(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse(args));
        Assert.Contains("dotnet run --project operator/SshTunnel.Dev", error.Message, StringComparison.Ordinal);
    }
}
