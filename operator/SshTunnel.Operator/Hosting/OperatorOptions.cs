using Kube.Controller.Backoff;
using Kube.Controller.Election;
using Microsoft.Extensions.Logging;
using SshTunnel.Operator.CommandLine;

namespace SshTunnel.Operator.Hosting;

/// <summary>The operator's command-line flags.</summary>
public sealed record OperatorOptions
{
    /// <summary>The Lease the replicas of one release contend for, unless <c>--leader-election-lease-name</c> names another.</summary>
    public const string DefaultLeaseName = "ssh-tunnel-operator";

    /// <summary><c>--workers</c>: how many resources are reconciled at once.</summary>
    public int Workers { get; init; } = 8;

    /// <summary><c>--namespaces a,b</c>: the namespaces to watch; empty means all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary><c>--resync-period</c>: how often every resource is reconciled even without a change.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>--probe-concurrency</c>: how many SSH probes run at once. 8 stays below OpenSSH's
    /// default <c>MaxStartups 10:30:100</c>, from which sshd drops unauthenticated connections at
    /// random, when every connection names the same bastion; the probe benchmark's figures are in README.md.
    /// </summary>
    public int ProbeConcurrency { get; init; } = 8;

    /// <summary><c>--revalidate-interval</c>: how often the connection in effect is probed again.</summary>
    public TimeSpan RevalidateInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>--api-timeout</c>: the bound on one attempt of a read or write the reconciler and the
    /// event recorder make; a hung call is cancelled and retried, so it delays a connection by
    /// this much, not by the client's own timeout. Watches and the caches' paged LIST are not
    /// bounded by it.
    /// </summary>
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>--recheck-initial</c> and <c>--recheck-max</c>: while the bastion refuses a key or does
    /// not answer (Validated or SecondaryKeyAuthorized False), it is probed again after 5 s,
    /// doubling, at most every 60 s, so a bastion being fixed shows up in status within a minute.
    /// </summary>
    public ExponentialBackoff Recheck { get; init; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

    /// <summary>
    /// While a foreign Secret holds the key Secret's name (<c>SecretConflict</c>), how often it is
    /// read again by name: 1 s, doubling, at most 10 s, so its deletion is noticed within seconds.
    /// </summary>
    public ExponentialBackoff SecretConflictRecheck { get; init; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>
    /// <c>--forwarder-image</c>: the image of the SshPortForward Deployments, which runs
    /// <c>/app/forwarder/SshTunnel.Forwarder</c>: the operator's own image (the chart passes it).
    /// </summary>
    public string ForwarderImage { get; init; } = DefaultForwarderImage;

    /// <summary>The image <c>--forwarder-image</c> names unless it is given: the published operator image.</summary>
    public const string DefaultForwarderImage = "ghcr.io/ssh-tunnel-operator/ssh-tunnel-operator:latest";

    /// <summary><c>--metrics-bind-address</c> (or <c>--health-port</c>): where /metrics is served; none when null.</summary>
    public BindAddress? MetricsBindAddress { get; init; }

    /// <summary><c>--health-probe-bind-address</c> (or <c>--health-port</c>): where /healthz, /readyz and /debug/idle are served; none when null.</summary>
    public BindAddress? HealthProbeBindAddress { get; init; }

    /// <summary><c>--log-level</c>: the least severe entries logged.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>--log-format</c>: JSON lines or text.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary><c>--leader-elect</c>: work only while holding the Lease, so several replicas can run.</summary>
    public bool LeaderElect { get; init; }

    /// <summary><c>--leader-election-namespace</c>: where the Lease lives; by default the pod's namespace, else <c>default</c>.</summary>
    public string? LeaderElectionNamespace { get; init; }

    /// <summary><c>--leader-election-lease-name</c>: the Lease the replicas contend for; one per release.</summary>
    public string LeaderElectionLeaseName { get; init; } = DefaultLeaseName;

    /// <summary><c>--leader-election-lease-duration</c>: how long a standby waits after the last renewal before it takes over.</summary>
    public TimeSpan LeaderElectionLeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--leader-election-renew-deadline</c>: how long the leader keeps trying to renew before it gives up and stops.</summary>
    public TimeSpan LeaderElectionRenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--leader-election-retry-period</c>: how often the lease is renewed or tried.</summary>
    public TimeSpan LeaderElectionRetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>--shutdown-timeout</c>: on SIGTERM, how long reconciles in flight may run before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reads the flags (see <see cref="OperatorCommandLine"/>); an <see cref="ArgumentException"/>
    /// names every bad flag or value.
    /// </summary>
    public static OperatorOptions Parse(IReadOnlyList<string> args)
    {
        var commandLine = new OperatorCommandLine("ssh-tunnel-operator");
        return commandLine.Options(commandLine.Command.Parse(args));
    }

    /// <summary>The Lease this process contends for, with the flags' name and timing.</summary>
    public LeaderElectionOptions LeaderElection(string defaultNamespace) => new()
    {
        Namespace = LeaderElectionNamespace ?? defaultNamespace,
        LeaseName = LeaderElectionLeaseName,
        LeaseDuration = LeaderElectionLeaseDuration,
        RenewDeadline = LeaderElectionRenewDeadline,
        RetryPeriod = LeaderElectionRetryPeriod,
    };
}
