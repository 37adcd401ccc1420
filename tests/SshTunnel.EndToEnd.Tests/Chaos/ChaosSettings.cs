using System.Globalization;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// How big and how long a chaos run is. The short mode (the default, run in CI) fits in about
/// two minutes on two shared cores; <c>SSHTUNNEL_CHAOS_MODE=long</c> is the benchmark machine's.
/// <c>SSHTUNNEL_CHAOS_SEED</c>, <c>SSHTUNNEL_CHAOS_SECONDS</c> and <c>SSHTUNNEL_CHAOS_CONNECTIONS</c>
/// override the mode's values; the seed is random otherwise, and printed.
/// </summary>
public sealed record ChaosSettings(int Seed, int Connections, TimeSpan Storm, TimeSpan ConvergenceBound)
{
    /// <summary>Leader election durations short enough for many handovers in a short run.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);

    /// <summary>The operator's <c>--api-timeout</c>: a hung call costs a connection this much.</summary>
    public static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(2);

    public static ChaosSettings FromEnvironment()
    {
        var longMode = Environment.GetEnvironmentVariable("SSHTUNNEL_CHAOS_MODE") == "long";
        var seed = Number("SSHTUNNEL_CHAOS_SEED") ?? Random.Shared.Next();
        var connections = Number("SSHTUNNEL_CHAOS_CONNECTIONS") ?? (longMode ? 500 : 24);
        var storm = TimeSpan.FromSeconds(Number("SSHTUNNEL_CHAOS_SECONDS") ?? (longMode ? 600 : 40));
        return new ChaosSettings(seed, connections, storm, TimeSpan.FromSeconds(longMode ? 120 : 60));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seed {Seed} (SSHTUNNEL_CHAOS_SEED={Seed} repeats the schedule), {Connections} connections, storm {Storm.TotalSeconds:0} s, convergence bound {ConvergenceBound.TotalSeconds:0} s");

    private static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
