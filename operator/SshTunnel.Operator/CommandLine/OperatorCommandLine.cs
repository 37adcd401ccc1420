using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Kube.Controller.Backoff;
using Microsoft.Extensions.Logging;
using SshTunnel.Operator.Hosting;

namespace SshTunnel.Operator.CommandLine;

/// <summary>
/// The operator's flags on System.CommandLine: <c>--help</c>, every flag described, every bad
/// flag or value named (exit status 2). <c>--flag value</c> and <c>--flag=value</c> both work;
/// durations take <c>30s</c>, <c>0.5s</c>, <c>10m</c>, <c>1h</c> or <c>hh:mm:ss</c>.
/// A host (the dev host) may add flags of its own.
/// </summary>
public sealed class OperatorCommandLine
{
    private static readonly OperatorOptions Defaults = new();

    private readonly Option<int> workers = PositiveInt("--workers", Defaults.Workers, "Resources reconciled at once (never two workers on one resource).");
    private readonly Option<string[]> namespaces = new("--namespaces")
    {
        Description = "Namespaces to watch, comma separated (one list-watch each); all when absent.",
        HelpName = "a,b",
        CustomParser = result => [.. result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        DefaultValueFactory = _ => [],
    };

    private readonly Option<TimeSpan> resyncPeriod = Duration("--resync-period", Defaults.ResyncPeriod, "Every cached resource is reconciled again this often.");
    private readonly Option<int> probeConcurrency = PositiveInt("--probe-concurrency", Defaults.ProbeConcurrency, "SSH probes running at once.");
    private readonly Option<TimeSpan> revalidateInterval = Duration("--revalidate-interval", Defaults.RevalidateInterval, "How often the connection in effect is logged in to again (validate: true).");
    private readonly Option<TimeSpan> recheckInitial = Duration("--recheck-initial", Defaults.Recheck.Initial, "While the bastion refuses a key or does not answer, the first delay before it is probed again (doubling).");
    private readonly Option<TimeSpan> recheckMax = Duration("--recheck-max", Defaults.Recheck.Maximum, "The longest delay between those probes; not longer than --revalidate-interval.");
    private readonly Option<TimeSpan> apiTimeout = Duration("--api-timeout", Defaults.ApiTimeout, "The bound on one attempt of each API read and write of the reconciler and the event recorder (watches excluded); a hung call is cancelled and retried.");
    private readonly Option<string> forwarderImage = new("--forwarder-image")
    {
        Description = "The image SshPortForward Deployments run the forwarder from: the operator's own image (it ships the forwarder).",
        HelpName = "image",
        DefaultValueFactory = _ => OperatorOptions.DefaultForwarderImage,
    };
    private readonly Option<string> metricsBindAddress = Address("--metrics-bind-address", "Serve /metrics (Prometheus) on this address, e.g. :8080 or 127.0.0.1:8080; 0 (the default) turns it off.");
    private readonly Option<string> healthProbeBindAddress = Address("--health-probe-bind-address", "Serve /healthz, /readyz and /debug/idle on this address, e.g. :8081; 0 (the default) turns it off.");
    private readonly Option<int?> healthPort = new("--health-port")
    {
        Description = "Shorthand for both bind addresses on every interface of this port (a bind-address flag given wins).",
        HelpName = "port",
        CustomParser = result => ParsePositive(result) is var value && value > 0 ? value : null,
    };

    private readonly Option<LogLevel> logLevel = new("--log-level")
    {
        Description = "The least severe entries logged.",
        HelpName = "trace|debug|info|warning|error",
        DefaultValueFactory = _ => Defaults.LogLevel,
        CustomParser = ParseLogLevel,
    };

    private readonly Option<LogFormat> logFormat;
    private readonly Option<bool> leaderElect = new("--leader-elect") { Description = "Work only while holding the Lease, so several replicas can run." };
    private readonly Option<string?> leaderElectionNamespace = new("--leader-election-namespace") { Description = "Where the Lease lives; by default the pod's namespace, else default.", HelpName = "namespace" };
    private readonly Option<string> leaderElectionLeaseName = new("--leader-election-lease-name")
    {
        Description = "The Lease the replicas contend for (a DNS subdomain name); one per release.",
        HelpName = "name",
        DefaultValueFactory = _ => OperatorOptions.DefaultLeaseName,
        CustomParser = ParseLeaseName,
    };

    private readonly Option<TimeSpan> leaseDuration = Duration("--leader-election-lease-duration", Defaults.LeaderElectionLeaseDuration, "How long a standby waits after a leader's last renewal before it takes over.");
    private readonly Option<TimeSpan> renewDeadline = Duration("--leader-election-renew-deadline", Defaults.LeaderElectionRenewDeadline, "The leader stops all work when it could not renew for this long; shorter than the lease duration.");
    private readonly Option<TimeSpan> retryPeriod = Duration("--leader-election-retry-period", Defaults.LeaderElectionRetryPeriod, "How often the leader renews and a standby tries; shorter than the renew deadline.");
    private readonly Option<TimeSpan> shutdownTimeout = Duration("--shutdown-timeout", Defaults.ShutdownTimeout, "On SIGTERM, how long reconciles in flight may run before they are cancelled.");

    /// <summary>The command line of a host; <paramref name="defaultLogFormat"/> is its <c>--log-format</c> when none is given.</summary>
    public OperatorCommandLine(string description, LogFormat defaultLogFormat = LogFormat.Json)
    {
        logFormat = new Option<LogFormat>("--log-format")
        {
            Description = "One JSON object per line, or one readable line per entry.",
            HelpName = "json|text",
            DefaultValueFactory = _ => defaultLogFormat,
            CustomParser = ParseLogFormat,
        };
        Command = new RootCommand(description)
        {
            workers, namespaces, resyncPeriod, probeConcurrency, revalidateInterval, recheckInitial, recheckMax, apiTimeout, forwarderImage,
            metricsBindAddress, healthProbeBindAddress, healthPort, logLevel, logFormat,
            leaderElect, leaderElectionNamespace, leaderElectionLeaseName, leaseDuration, renewDeadline, retryPeriod,
            shutdownTimeout,
        };
    }

    /// <summary>The root command; a host adds its own options to it.</summary>
    public RootCommand Command { get; }

    /// <summary>
    /// Parses <paramref name="args"/>: <c>--help</c> prints the help to <paramref name="output"/>
    /// and gives exit status 0; bad flags print every error to <paramref name="error"/> and give 2;
    /// otherwise the options and the parse (for a host's own flags) go to <paramref name="run"/>.
    /// </summary>
    public async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter error,
        Func<ParseResult, OperatorOptions, Task<int>> run)
    {
        var result = Command.Parse(args);
        if (result.Action is HelpAction)
        {
            return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
        }

        OperatorOptions options;
        try
        {
            options = Options(result);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await error.WriteLineAsync("Run with --help for every flag.").ConfigureAwait(false);
            return 2;
        }

        return await run(result, options).ConfigureAwait(false);
    }

    /// <summary>The options a parse gives; an <see cref="ArgumentException"/> names every bad flag.</summary>
    public OperatorOptions Options(ParseResult result)
    {
        if (result.UnmatchedTokens.FirstOrDefault(token => token == "--dev" || token.StartsWith("--dev=", StringComparison.Ordinal) || token.StartsWith("--dev-kubeconfig", StringComparison.Ordinal)) is { } dev)
        {
            throw new ArgumentException(
                $"{dev.Split('=')[0]} is not a flag of the operator: dev mode is a host of its own, run it with `dotnet run --project operator/SshTunnel.Dev` (it takes --dev-kubeconfig and every operator flag)");
        }

        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        }

        var port = result.GetValue(healthPort);
        var parsed = new OperatorOptions
        {
            Workers = result.GetValue(workers),
            Namespaces = result.GetValue(namespaces) ?? [],
            ResyncPeriod = result.GetValue(resyncPeriod),
            ProbeConcurrency = result.GetValue(probeConcurrency),
            RevalidateInterval = result.GetValue(revalidateInterval),
            Recheck = new ExponentialBackoff(result.GetValue(recheckInitial), result.GetValue(recheckMax)),
            ApiTimeout = result.GetValue(apiTimeout),
            ForwarderImage = result.GetValue(forwarderImage)!,
            MetricsBindAddress = result.GetValue(metricsBindAddress) is { } metrics ? ParsedAddress(metrics) : PortAddress(port),
            HealthProbeBindAddress = result.GetValue(healthProbeBindAddress) is { } probes ? ParsedAddress(probes) : PortAddress(port),
            LogLevel = result.GetValue(logLevel),
            LogFormat = result.GetValue(logFormat),
            LeaderElect = result.GetValue(leaderElect),
            LeaderElectionNamespace = result.GetValue(leaderElectionNamespace),
            LeaderElectionLeaseName = result.GetValue(leaderElectionLeaseName)!,
            LeaderElectionLeaseDuration = result.GetValue(leaseDuration),
            LeaderElectionRenewDeadline = result.GetValue(renewDeadline),
            LeaderElectionRetryPeriod = result.GetValue(retryPeriod),
            ShutdownTimeout = result.GetValue(shutdownTimeout),
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

    /// <summary>An address the option's validator already accepted.</summary>
    private static BindAddress? ParsedAddress(string text) =>
        BindAddress.TryParse(text, out var address, out var problem) ? address : throw new ArgumentException(problem);

    private static BindAddress? PortAddress(int? port) => port is { } value ? BindAddress.AnyInterface(value) : null;

    private static Option<int> PositiveInt(string name, int defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParsePositive(result) ?? defaultValue,
    };

    private static int? ParsePositive(ArgumentResult result)
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} must be a positive integer, got '{text}'");
        return null;
    }

    private static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = Single(result);
            if (TryParseDuration(text, out var value))
            {
                return value;
            }

            result.AddError($"{OptionName(result)} must be a duration such as 30s, 10m, 1h or hh:mm:ss, got '{text}'");
            return defaultValue;
        },
    };

    private static Option<string> Address(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "address" };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!BindAddress.TryParse(text, out _, out var problem))
            {
                result.AddError($"{name} {problem}");
            }
        });
        return option;
    }

    private static LogLevel ParseLogLevel(ArgumentResult result)
    {
        var text = Single(result);
        LogLevel? level = text.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => null,
        };
        if (level is { } value)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} must be trace, debug, info, warning or error, got '{text}'");
        return Defaults.LogLevel;
    }

    private static LogFormat ParseLogFormat(ArgumentResult result)
    {
        var text = Single(result);
        if (text is "json" or "text")
        {
            return text == "json" ? LogFormat.Json : LogFormat.Text;
        }

        result.AddError($"{OptionName(result)} must be json or text, got '{text}'");
        return LogFormat.Json;
    }

    private static string ParseLeaseName(ArgumentResult result)
    {
        var text = Single(result);

        // A Lease name is a DNS subdomain (RFC 1123): lower-case alphanumerics, '-' and '.', at most 253.
        var valid = text.Length is > 0 and <= 253
            && char.IsAsciiLetterOrDigit(text[0]) && char.IsAsciiLetterOrDigit(text[^1])
            && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
        if (!valid)
        {
            result.AddError($"{OptionName(result)} must be a DNS subdomain name (lower case, digits, '-', '.'), got '{text}'");
        }

        return text;
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

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
