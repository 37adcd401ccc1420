using System.Globalization;
using System.Reflection;
using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks;

/// <summary>The harness's command line: <c>[--n 10000 | --quick] [--out FILE] [--workers 8] [--clients 8] [--operator PROGRAM] [--operator-env NAME=VALUE]</c>.</summary>
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

    /// <summary><c>--throughput-only</c>: only provisioning and rotation of N, then the writes floor they are measured against.</summary>
    public bool ThroughputOnly { get; init; }

    /// <summary><c>--probes</c>: measure the probe pool's SSH logins against OpenSSH's client instead of the operator.</summary>
    public bool Probes { get; init; }

    /// <summary>
    /// <c>--forwarder-program</c>: the forwarder to measure; a <c>.dll</c> runs with <c>dotnet</c>, anything
    /// else (a native build, as the image ships it) runs directly. Default: the Release build's dll.
    /// </summary>
    public string ForwarderAssembly { get; init; } = BuildMetadata("ForwarderAssembly");

    /// <summary><c>--runs</c>: how many times the forwarder benchmark measures both tunnels.</summary>
    public int Runs { get; init; } = 8;

    /// <summary><c>--cipher</c>: the cipher both tunnels ask for.</summary>
    public string Cipher { get; init; } = "aes128-gcm@openssh.com";

    /// <summary><c>--forwarder-env NAME=VALUE</c> (repeatable): environment of the forwarder process.</summary>
    public IReadOnlyDictionary<string, string> ForwarderEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--scale-curve</c>: measure time and memory at each of <see cref="CurveSizes"/> instead of one full run.</summary>
    public bool ScaleCurve { get; init; }

    /// <summary><c>--sizes 1000,10000,30000</c>: the fleet sizes of the scale curve.</summary>
    public IReadOnlyList<int> CurveSizes { get; init; } = [1_000, 10_000, 30_000];
    /// <summary>The start floor (tests/SshTunnel.StartFloor): the operator's start is measured against it in the same run.</summary>
    public string StartFloorAssembly { get; init; } = BuildMetadata("StartFloorAssembly");

    public string CrdDirectory { get; init; } = BuildMetadata("CrdDirectory");

    /// <summary>
    /// Environment of the operator process: the runtime settings its image sets, then <c>--operator-env NAME=VALUE</c>
    /// (repeatable, e.g. runtime GC settings to compare; it overrides the image's value of the same name).
    /// </summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment { get; init; } = OperatorImage.RuntimeEnvironment(BuildMetadata("OperatorDockerfile"));

    /// <summary>How long the converged system is watched for writes.</summary>
    public TimeSpan ConvergedWindow => Quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(60);

    public int IdleBumps => Math.Min(200, Connections);

    public int BumpsPerSecond => 100;

    public TimeSpan LoadDuration => TimeSpan.FromSeconds(10);

    /// <summary><c>--watch-drops</c>: how many times every watch is dropped; the phase's time bound grows with it.</summary>
    public int WatchDrops { get; init; } = 1_000;

    /// <summary>The watch-drop phase's time bound: 0.3 s per drop; the CI smoke run (<c>--quick</c> with the default 1,000 drops) stops at 60 s.</summary>
    public TimeSpan WatchDropBound => TimeSpan.FromSeconds(Quick && WatchDrops == 1_000 ? 60 : 0.3 * WatchDrops);

    /// <summary>How often the watch-drop phase samples the operator's memory.</summary>
    public int WatchDropSampleEvery => Math.Max(1, WatchDrops / 10);

    /// <summary>The bound on a phase that must process every connection: generous, so only a stuck run fails.</summary>
    public TimeSpan PhaseTimeout => TimeSpan.FromSeconds(Math.Max(120, (ScaleCurve ? CurveSizes.Max() : Connections) / 50));

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
                case "--throughput-only":
                    options = options with { ThroughputOnly = true };
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
                case "--forwarder-program":
                    options = options with { ForwarderAssembly = Path.GetFullPath(Value()) };
                    break;
                case "--forwarder-env":
                    options = options with { ForwarderEnvironment = WithPair(options.ForwarderEnvironment, Value()) };
                    break;
                case "--watch-drops":
                    options = options with { WatchDrops = PositiveInt(flag, Value()) };
                    break;
                case "--scale-curve":
                    options = options with { ScaleCurve = true };
                    break;
                case "--sizes":
                    options = options with { CurveSizes = [.. Value().Split(',').Select(size => PositiveInt(flag, size))] };
                    break;
                case "--operator":
                    options = options with { OperatorAssembly = Path.GetFullPath(Value()) };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{flag}'; usage: [--n 10000 | --quick] [--out FILE] [--workers 8] [--clients 8] [--operator PROGRAM] [--operator-env NAME=VALUE] [--watch-drops 1000] [--start-only | --throughput-only] | --scale-curve [--sizes 1000,10000,30000] | --forwarder [--quick] [--runs 8] [--cipher NAME] [--forwarder-program PATH] [--forwarder-env NAME=VALUE] [--out FILE] | --probes [--quick] [--out FILE]");
            }
        }

        return options with { Connections = connections ?? (options.Quick ? 1_000 : 10_000), OutputPath = options.OutputPath != DefaultOutputPath ? options.OutputPath
            : options.Forwarder ? Path.Combine("TestResults", "forwarder-benchmarks.md")
            : options.ScaleCurve ? Path.Combine("TestResults", "scale-curve.md")
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
