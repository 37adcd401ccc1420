using System.Net;
using Kube.Controller.Backoff;
using Kube.Controller.Election;
using Microsoft.Extensions.Logging;
using SshTunnel.Operator.CommandLine;
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
        Assert.Equal(8, options.ProbeConcurrency);
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
            "--shutdown-timeout", "1m", "--metrics-bind-address", "127.0.0.1:8080", "--health-probe-bind-address=:8081",
            "--log-level", "debug", "--log-format", "text",
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
        Assert.Equal(new BindAddress(IPAddress.Loopback, 8080), options.MetricsBindAddress);
        Assert.Equal(BindAddress.AnyInterface(8081), options.HealthProbeBindAddress);
        Assert.Equal((LogLevel.Debug, LogFormat.Text), (options.LogLevel, options.LogFormat));
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
    [InlineData("--metrics-bind-address", "8080")]
    [InlineData("--health-probe-bind-address", ":99999")]
    [InlineData("--health-probe-bind-address", "probes.example.com:8081")]
    [InlineData("--log-level", "loud")]
    [InlineData("--log-format", "xml")]
    [InlineData("--workers", "")]
    public void A_bad_value_is_refused_with_the_flag_name(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse([flag, value]));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probes_and_metrics_are_off_by_default_and_health_port_serves_both_unless_a_bind_address_says_otherwise()
    {
        Assert.Equal((null, null), (OperatorOptions.Parse([]).MetricsBindAddress, OperatorOptions.Parse([]).HealthProbeBindAddress));
        var shared = OperatorOptions.Parse(["--health-port", "8080"]);
        Assert.Equal((BindAddress.AnyInterface(8080), BindAddress.AnyInterface(8080)), (shared.MetricsBindAddress, shared.HealthProbeBindAddress));
        var split = OperatorOptions.Parse(["--health-port", "8080", "--metrics-bind-address", "0", "--health-probe-bind-address", "[::1]:9000"]);
        Assert.Equal((null, new BindAddress(IPAddress.IPv6Loopback, 9000)), (split.MetricsBindAddress, split.HealthProbeBindAddress));
    }

    [Fact]
    public void Several_bad_flags_are_all_named()
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorOptions.Parse(["--workers", "0", "--probe-concurrency", "x", "--nope"]));

        Assert.Contains("--workers", error.Message, StringComparison.Ordinal);
        Assert.Contains("--probe-concurrency", error.Message, StringComparison.Ordinal);
        Assert.Contains("'--nope'", error.Message, StringComparison.Ordinal);
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
