using System.Globalization;
using System.Reflection;

namespace SshTunnel.Benchmarks;

/// <summary>The harness's command line: <c>[--n 10000 | --quick] [--out FILE] [--workers 8] [--clients 8] [--operator DLL] [--operator-env NAME=VALUE]</c>.</summary>
internal sealed record BenchmarkOptions
{
    public int Connections { get; init; } = 10_000;

    public bool Quick { get; init; }

    private static readonly string DefaultOutputPath = Path.Combine("TestResults", "benchmarks.md");

    public string OutputPath { get; init; } = DefaultOutputPath;

    /// <summary>The operator's <c>--workers</c>, and the floor client's concurrency.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>How many clients create and bump the resources at once.</summary>
    public int Clients { get; init; } = 8;

    public string OperatorAssembly { get; init; } = BuildMetadata("OperatorAssembly");

    /// <summary><c>--forwarder</c>: measure the forwarder against OpenSSH's <c>ssh -N -L</c> instead of the operator.</summary>
    public bool Forwarder { get; init; }

    /// <summary><c>--start-only</c>: only the operator's starts against the start floor (empty, then with N provisioned connections).</summary>
    public bool StartOnly { get; init; }

    /// <summary><c>--probes</c>: measure the probe pool's SSH logins against OpenSSH's client instead of the operator.</summary>
    public bool Probes { get; init; }

    public string ForwarderAssembly { get; init; } = BuildMetadata("ForwarderAssembly");

    /// <summary><c>--runs</c>: how many times the forwarder benchmark measures both tunnels.</summary>
    public int Runs { get; init; } = 8;

    /// <summary><c>--cipher</c>: the cipher both tunnels ask for.</summary>
    public string Cipher { get; init; } = "aes128-gcm@openssh.com";

    /// <summary><c>--forwarder-env NAME=VALUE</c> (repeatable): environment of the forwarder process.</summary>
    public IReadOnlyDictionary<string, string> ForwarderEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The start floor (tests/SshTunnel.StartFloor): the operator's start is measured against it in the same run.</summary>
    public string StartFloorAssembly { get; init; } = BuildMetadata("StartFloorAssembly");

    public string CrdDirectory { get; init; } = BuildMetadata("CrdDirectory");

    /// <summary><c>--operator-env NAME=VALUE</c> (repeatable): environment of the operator process, e.g. runtime GC settings to compare.</summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the converged system is watched for writes.</summary>
    public TimeSpan ConvergedWindow => Quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(60);

    public int IdleBumps => Math.Min(200, Connections);

    public int BumpsPerSecond => 100;

    public TimeSpan LoadDuration => TimeSpan.FromSeconds(10);

    public int WatchDrops => 1_000;

    /// <summary>The bound on a phase that must process every connection: generous, so only a stuck run fails.</summary>
    public TimeSpan PhaseTimeout => TimeSpan.FromSeconds(Math.Max(120, Connections / 50));

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        int? connections = null;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            switch (flag)
            {
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--n":
                    connections = PositiveInt(flag, Value());
                    break;
                case "--out":
                    options = options with { OutputPath = Value() };
                    break;
                case "--workers":
                    options = options with { Workers = PositiveInt(flag, Value()) };
                    break;
                case "--clients":
                    options = options with { Clients = PositiveInt(flag, Value()) };
                    break;
                case "--operator-env":
                    options = options with { OperatorEnvironment = WithPair(options.OperatorEnvironment, Value()) };
                    break;
                case "--forwarder":
                    options = options with { Forwarder = true };
                    break;
                case "--start-only":
                    options = options with { StartOnly = true };
                    break;
                case "--probes":
                    options = options with { Probes = true };
                    break;
                case "--runs":
                    options = options with { Runs = PositiveInt(flag, Value()) };
                    break;
                case "--cipher":
                    options = options with { Cipher = Value() };
                    break;
                case "--forwarder-env":
                    options = options with { ForwarderEnvironment = WithPair(options.ForwarderEnvironment, Value()) };
                    break;
                case "--operator":
                    options = options with { OperatorAssembly = Path.GetFullPath(Value()) };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{flag}'; usage: [--n 10000 | --quick] [--out FILE] [--workers 8] [--clients 8] [--operator DLL] [--operator-env NAME=VALUE] [--start-only] | --forwarder [--quick] [--runs 8] [--cipher NAME] [--forwarder-env NAME=VALUE] [--out FILE] | --probes [--quick] [--out FILE]");
            }
        }

        return options with { Connections = connections ?? (options.Quick ? 1_000 : 10_000), OutputPath = options.OutputPath != DefaultOutputPath ? options.OutputPath
            : options.Forwarder ? Path.Combine("TestResults", "forwarder-benchmarks.md")
            : options.Probes ? Path.Combine("TestResults", "probe-benchmarks.md")
            : options.OutputPath };
    }

    private static Dictionary<string, string> WithPair(IReadOnlyDictionary<string, string> environment, string text)
    {
        var pair = text.Split('=', 2);
        return new Dictionary<string, string>(environment) { [pair[0]] = pair.Length == 2 ? pair[1] : "" };
    }

    private static int PositiveInt(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{flag} must be a positive integer, got '{text}'");

    private static string BuildMetadata(string key) =>
        typeof(BenchmarkOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"the build did not record {key}");
}
