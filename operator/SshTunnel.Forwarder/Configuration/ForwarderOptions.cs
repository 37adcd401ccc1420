using System.Globalization;
using System.Net;

namespace SshTunnel.Forwarder.Configuration;

/// <summary>The forwarder's command line.</summary>
public sealed record ForwarderOptions
{
    /// <summary>The most forwards one forwarder serves (SshPortForward allows 1..32).</summary>
    public const int MaxForwards = 32;

    /// <summary><c>--secret-dir</c>: the mounted key Secret (private-key-1, private-key-2, host, port, user, known_hosts).</summary>
    public required string SecretDirectory { get; init; }

    /// <summary><c>--forward name=listenPort:targetHost:targetPort</c>, repeated: 1 to 32, names and listen ports unique.</summary>
    public required IReadOnlyList<ForwardSpec> Forwards { get; init; }

    /// <summary><c>--listen-address</c>: where the forwarded ports listen; all interfaces by default.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;

    /// <summary><c>--health-port</c>: serve /healthz, /readyz and /metrics on this port; none when absent.</summary>
    public int? HealthPort { get; init; }

    /// <summary><c>--keepalive</c>: how often an idle session sends a keepalive to the bastion.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--connect-timeout</c>: the bound of one login to the bastion.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--session-wait</c>: how long a new connection waits for a session while none is authenticated.</summary>
    public TimeSpan SessionWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--backoff-initial</c>: the first wait before a new login after a failure; doubles, with jitter.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>--backoff-max</c>: the longest wait between logins.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--secret-poll</c>: how often the Secret folder is checked for an update.</summary>
    public TimeSpan SecretPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>--drain-timeout</c>: on SIGTERM, how long open connections may finish before they are cut.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><c>--cipher</c>: the cipher offered first; the bastion's choice falls back to SSH.NET's list.</summary>
    public string PreferredCipher { get; init; } = "aes128-gcm@openssh.com";

    private static readonly string[] KnownFlags =
    [
        "secret-dir", "forward", "listen-address", "health-port", "keepalive", "connect-timeout", "session-wait",
        "backoff-initial", "backoff-max", "secret-poll", "drain-timeout", "cipher",
    ];

    /// <summary>Reads <c>--flag value</c> or <c>--flag=value</c>; throws <see cref="ArgumentException"/> saying what to fix.</summary>
    public static ForwarderOptions Parse(IReadOnlyList<string> args)
    {
        var values = Collect(args);
        var forwards = new List<ForwardSpec>();
        foreach (var text in values.GetValueOrDefault("forward", []))
        {
            forwards.Add(ForwardSpec.TryParse(text, out var spec, out var error) ? spec : throw new ArgumentException(error));
        }

        CheckForwards(forwards);
        var defaults = new ForwarderOptions { SecretDirectory = "", Forwards = [] };
        return new ForwarderOptions
        {
            SecretDirectory = Single(values, "secret-dir") ?? throw new ArgumentException("--secret-dir is required: the folder the key Secret is mounted at"),
            Forwards = forwards,
            ListenAddress = Single(values, "listen-address") is { } address
                ? IPAddress.TryParse(address, out var parsed) ? parsed : throw new ArgumentException($"--listen-address must be an IP address, got '{address}'")
                : defaults.ListenAddress,
            HealthPort = Single(values, "health-port") is { } port ? Port("health-port", port) : null,
            KeepAliveInterval = Duration(values, "keepalive") ?? defaults.KeepAliveInterval,
            ConnectTimeout = Duration(values, "connect-timeout") ?? defaults.ConnectTimeout,
            SessionWait = Duration(values, "session-wait") ?? defaults.SessionWait,
            BackoffInitial = Duration(values, "backoff-initial") ?? defaults.BackoffInitial,
            BackoffMax = Duration(values, "backoff-max") ?? defaults.BackoffMax,
            SecretPollInterval = Duration(values, "secret-poll") ?? defaults.SecretPollInterval,
            DrainTimeout = Duration(values, "drain-timeout") ?? defaults.DrainTimeout,
            PreferredCipher = Single(values, "cipher") ?? defaults.PreferredCipher,
        };
    }

    private static Dictionary<string, List<string>> Collect(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'; every setting is a --flag");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!KnownFlags.Contains(name))
            {
                throw new ArgumentException($"unknown flag --{name}; known flags: {string.Join(", ", KnownFlags.Select(flag => "--" + flag))}");
            }

            var value = equals >= 0 ? arg[(equals + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new ArgumentException($"--{name} needs a value");
            (values.TryGetValue(name, out var list) ? list : values[name] = []).Add(value);
        }

        return values;
    }

    private static void CheckForwards(List<ForwardSpec> forwards)
    {
        if (forwards.Count is 0 or > MaxForwards)
        {
            throw new ArgumentException($"give 1 to {MaxForwards} --forward flags, got {forwards.Count}");
        }

        if (forwards.GroupBy(forward => forward.Name).FirstOrDefault(group => group.Count() > 1) is { } name)
        {
            throw new ArgumentException($"--forward name '{name.Key}' is used twice; names must be unique");
        }

        if (forwards.GroupBy(forward => forward.ListenPort).FirstOrDefault(group => group.Count() > 1) is { } port)
        {
            throw new ArgumentException($"--forward listen port {port.Key} is used twice; listen ports must be unique");
        }
    }

    private static string? Single(Dictionary<string, List<string>> values, string name) =>
        values.TryGetValue(name, out var list)
            ? list.Count == 1 ? list[0] : throw new ArgumentException($"--{name} is given {list.Count} times; give it once")
            : null;

    private static TimeSpan? Duration(Dictionary<string, List<string>> values, string name) =>
        Single(values, name) is { } text
            ? DurationText.TryParse(text, out var value) ? value : throw new ArgumentException($"--{name} must be a duration such as 500ms, 30s or 2m, got '{text}'")
            : null;

    private static int Port(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"--{name} must be a port from 1 to 65535, got '{text}'");
}
