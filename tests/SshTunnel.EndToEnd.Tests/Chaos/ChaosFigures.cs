using System.Globalization;
using System.Text;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>What a chaos run did to the operator, for the test's output and the README.</summary>
public sealed class ChaosFigures
{
    public int Kills { get; set; }

    /// <summary>Replicas that ended on their own (a leader that could not renew its lease exits).</summary>
    public int Exits { get; set; }

    public int LeaderChanges { get; set; }

    public int Bumps { get; set; }

    public int Rotations { get; set; }

    public int WatchCloses { get; set; }

    public int Compactions { get; set; }

    public int Relists { get; set; }

    /// <summary>Fault rules armed through the control surface, by fault.</summary>
    public SortedDictionary<string, int> Faults { get; } = new(StringComparer.Ordinal);

    public TimeSpan? ConvergedAfterLastKill { get; set; }

    public TimeSpan? ConvergedAfterStorm { get; set; }

    /// <summary>From a bump to the rotation in status while that status write hangs (bounded by <c>--api-timeout</c>).</summary>
    public TimeSpan? HungStatusWrite { get; set; }

    public int SecretVersions { get; set; }

    public int StatusVersions { get; set; }

    public int Violations { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"kills -9 {Kills}, replicas that exited on their own {Exits}, leader changes {LeaderChanges}, ");
        text.Append(CultureInfo.InvariantCulture, $"rotate-keys bumps {Bumps}, rotations {Rotations}, watch closes {WatchCloses}, compactions {Compactions}, relists of the checker's watches {Relists}, ");
        text.Append(CultureInfo.InvariantCulture, $"faults armed {Faults.Values.Sum()} ({string.Join(", ", Faults.Select(fault => $"{fault.Key} {fault.Value}"))}), ");
        text.Append(CultureInfo.InvariantCulture, $"converged {Seconds(ConvergedAfterLastKill)} after the last kill ({Seconds(ConvergedAfterStorm)} after the storm), ");
        text.Append(CultureInfo.InvariantCulture, $"a hung status write delayed its rotation {Seconds(HungStatusWrite)} (--api-timeout {ChaosSettings.ApiTimeout.TotalSeconds:0} s), ");
        text.Append(CultureInfo.InvariantCulture, $"versions checked: {SecretVersions} of Secrets, {StatusVersions} of connections, violations {Violations}");
        return text.ToString();
    }

    private static string Seconds(TimeSpan? time) =>
        time is { } value ? value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "never";
}
