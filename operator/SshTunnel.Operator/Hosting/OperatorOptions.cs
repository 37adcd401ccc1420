using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SshTunnel.Operator.Hosting;

/// <summary>The operator's command-line flags.</summary>
public sealed record OperatorOptions
{
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

    /// <summary><c>--dev</c>: run an embedded API server and the operator against it.</summary>
    public bool Dev { get; init; }

    /// <summary><c>--dev-kubeconfig PATH</c>: where dev mode writes its kubeconfig.</summary>
    public string? DevKubeconfig { get; init; }

    /// <summary><c>--health-port</c>: serve /healthz, /readyz and /metrics on this port; none when absent.</summary>
    public int? HealthPort { get; init; }

    /// <summary><c>--leader-elect</c>: work only while holding the Lease, so several replicas can run.</summary>
    public bool LeaderElect { get; init; }

    /// <summary><c>--leader-election-namespace</c>: where the Lease lives; by default the pod's namespace, else <c>default</c>.</summary>
    public string? LeaderElectionNamespace { get; init; }

    private static readonly string[] KnownFlags =
    [
        "workers", "namespaces", "resync-period", "probe-concurrency", "revalidate-interval", "health-port",
        "dev", "dev-kubeconfig", "leader-elect", "leader-election-namespace",
    ];

    /// <summary>
    /// Reads the flags; <c>--flag value</c> and <c>--flag=value</c> both work, durations take
    /// <c>30s</c>, <c>10m</c>, <c>1h</c> or <c>hh:mm:ss</c>.
    /// </summary>
    public static OperatorOptions Parse(IReadOnlyList<string> args)
    {
        string[] switches = ["--dev", "--leader-elect"];
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
        return new OperatorOptions
        {
            Workers = PositiveInt(configuration, "workers") ?? defaults.Workers,
            Namespaces = configuration["namespaces"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            ResyncPeriod = Duration(configuration, "resync-period") ?? defaults.ResyncPeriod,
            ProbeConcurrency = PositiveInt(configuration, "probe-concurrency") ?? defaults.ProbeConcurrency,
            RevalidateInterval = Duration(configuration, "revalidate-interval") ?? defaults.RevalidateInterval,
            Dev = Switch(args, configuration, "dev"),
            DevKubeconfig = configuration["dev-kubeconfig"],
            HealthPort = PositiveInt(configuration, "health-port"),
            LeaderElect = Switch(args, configuration, "leader-elect"),
            LeaderElectionNamespace = configuration["leader-election-namespace"],
        };
    }

    /// <summary>A switch is on when given alone (<c>--dev</c>) or as <c>--dev=true</c>.</summary>
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
