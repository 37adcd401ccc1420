using System.Globalization;
using Kube.Controller.Backoff;
using Kube.Controller.Election;
using Microsoft.Extensions.Configuration;

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

    /// <summary><c>--probe-concurrency</c>: how many SSH probes run at once.</summary>
    public int ProbeConcurrency { get; init; } = 4;

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

    /// <summary><c>--health-port</c>: serve /healthz, /readyz and /metrics on this port; none when absent.</summary>
    public int? HealthPort { get; init; }

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

    private static readonly string[] KnownFlags =
    [
        "workers", "namespaces", "resync-period", "probe-concurrency", "revalidate-interval", "recheck-initial", "recheck-max", "api-timeout", "health-port",
        "leader-elect", "leader-election-namespace", "leader-election-lease-name",
        "leader-election-lease-duration", "leader-election-renew-deadline", "leader-election-retry-period", "shutdown-timeout",
    ];

    /// <summary>
    /// Reads the flags; <c>--flag value</c> and <c>--flag=value</c> both work, durations take
    /// <c>30s</c>, <c>10m</c>, <c>1h</c> or <c>hh:mm:ss</c>.
    /// </summary>
    public static OperatorOptions Parse(IReadOnlyList<string> args)
    {
        if (args.FirstOrDefault(arg => arg == "--dev" || arg.StartsWith("--dev=", StringComparison.Ordinal) || arg.StartsWith("--dev-kubeconfig", StringComparison.Ordinal)) is { } dev)
        {
            throw new ArgumentException(
                $"{dev.Split('=')[0]} is not a flag of the operator: dev mode is a host of its own, run it with `dotnet run --project operator/SshTunnel.Dev` (it takes --dev-kubeconfig and every operator flag)");
        }

        string[] switches = ["--leader-elect"];
        var flags = args.Where(arg => !switches.Contains(arg)).ToArray();
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddCommandLine(flags).Build();
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        var unknown = configuration.AsEnumerable().Select(entry => entry.Key).FirstOrDefault(key => !KnownFlags.Contains(key));
        if (unknown is not null)
        {
            throw new ArgumentException($"unknown flag --{unknown}; known flags: {string.Join(", ", KnownFlags.Select(flag => "--" + flag))}");
        }

        var defaults = new OperatorOptions();
        var parsed = new OperatorOptions
        {
            Workers = PositiveInt(configuration, "workers") ?? defaults.Workers,
            Namespaces = configuration["namespaces"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            ResyncPeriod = Duration(configuration, "resync-period") ?? defaults.ResyncPeriod,
            ProbeConcurrency = PositiveInt(configuration, "probe-concurrency") ?? defaults.ProbeConcurrency,
            RevalidateInterval = Duration(configuration, "revalidate-interval") ?? defaults.RevalidateInterval,
            Recheck = new ExponentialBackoff(
                Duration(configuration, "recheck-initial") ?? defaults.Recheck.Initial,
                Duration(configuration, "recheck-max") ?? defaults.Recheck.Maximum),
            ApiTimeout = Duration(configuration, "api-timeout") ?? defaults.ApiTimeout,
            HealthPort = PositiveInt(configuration, "health-port"),
            LeaderElect = Switch(args, configuration, "leader-elect"),
            LeaderElectionNamespace = configuration["leader-election-namespace"],
            LeaderElectionLeaseName = LeaseName(configuration) ?? defaults.LeaderElectionLeaseName,
            LeaderElectionLeaseDuration = Duration(configuration, "leader-election-lease-duration") ?? defaults.LeaderElectionLeaseDuration,
            LeaderElectionRenewDeadline = Duration(configuration, "leader-election-renew-deadline") ?? defaults.LeaderElectionRenewDeadline,
            LeaderElectionRetryPeriod = Duration(configuration, "leader-election-retry-period") ?? defaults.LeaderElectionRetryPeriod,
            ShutdownTimeout = Duration(configuration, "shutdown-timeout") ?? defaults.ShutdownTimeout,
        };

        if (parsed.Recheck.Initial > parsed.Recheck.Maximum)
        {
            throw new ArgumentException($"--recheck-initial ({parsed.Recheck.Initial}) must not be longer than --recheck-max ({parsed.Recheck.Maximum})");
        }

        if (parsed.Recheck.Maximum > parsed.RevalidateInterval)
        {
            throw new ArgumentException($"--recheck-max ({parsed.Recheck.Maximum}) must not be longer than --revalidate-interval ({parsed.RevalidateInterval})");
        }

        // client-go's rules: the leader must give up before a standby may take over, and must try more than once.
        if (parsed.LeaderElectionRenewDeadline >= parsed.LeaderElectionLeaseDuration)
        {
            throw new ArgumentException(
                $"--leader-election-renew-deadline ({parsed.LeaderElectionRenewDeadline}) must be shorter than --leader-election-lease-duration ({parsed.LeaderElectionLeaseDuration})");
        }

        if (parsed.LeaderElectionRetryPeriod >= parsed.LeaderElectionRenewDeadline)
        {
            throw new ArgumentException(
                $"--leader-election-retry-period ({parsed.LeaderElectionRetryPeriod}) must be shorter than --leader-election-renew-deadline ({parsed.LeaderElectionRenewDeadline})");
        }

        return parsed;
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

    private static string? LeaseName(IConfiguration configuration)
    {
        var text = configuration["leader-election-lease-name"];
        if (text is null)
        {
            return null;
        }

        // A Lease name is a DNS subdomain (RFC 1123): lower-case alphanumerics, '-' and '.', at most 253.
        var valid = text.Length is > 0 and <= 253
            && char.IsAsciiLetterOrDigit(text[0]) && char.IsAsciiLetterOrDigit(text[^1])
            && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
        return valid ? text : throw new ArgumentException($"--leader-election-lease-name must be a DNS subdomain name (lower case, digits, '-', '.'), got '{text}'");
    }

    /// <summary>A switch is on when given alone (<c>--leader-elect</c>) or as <c>--leader-elect=true</c>.</summary>
    private static bool Switch(IReadOnlyList<string> args, IConfiguration configuration, string key) =>
        args.Contains("--" + key) || (bool.TryParse(configuration[key], out var value) && value);

    private static int? PositiveInt(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{key} must be a positive integer, got '{text}'");
    }

    private static TimeSpan? Duration(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (text is null)
        {
            return null;
        }

        return TryParseDuration(text, out var value)
            ? value
            : throw new ArgumentException($"--{key} must be a duration such as 30s, 10m, 1h or hh:mm:ss, got '{text}'");
    }

    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && text.Contains(':', StringComparison.Ordinal))
        {
            return value > TimeSpan.Zero;
        }

        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            _ => TimeSpan.Zero,
        };
        if (scale > TimeSpan.Zero
            && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            && amount > 0)
        {
            value = scale * amount;
            return true;
        }

        value = default;
        return false;
    }
}
