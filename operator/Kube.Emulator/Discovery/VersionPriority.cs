using System.Text.RegularExpressions;

namespace Kube.Emulator.Discovery;

/// <summary>Kubernetes' version ordering: GA before beta before alpha, higher numbers first, others last by name.</summary>
internal sealed partial class VersionPriority : IComparer<string>
{
    public static readonly VersionPriority Instance = new();

    public int Compare(string? x, string? y)
    {
        var left = Rank(x ?? string.Empty);
        var right = Rank(y ?? string.Empty);
        if (left.Stage != right.Stage)
        {
            return right.Stage.CompareTo(left.Stage);
        }

        if (left.Stage == 0)
        {
            return string.CompareOrdinal(x, y);
        }

        return left.Major != right.Major ? right.Major.CompareTo(left.Major) : right.Minor.CompareTo(left.Minor);
    }

    private static (int Stage, int Major, int Minor) Rank(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return (0, 0, 0);
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var stage = match.Groups[2].Value switch
        {
            "" => 3,
            "beta" => 2,
            _ => 1,
        };
        return (stage, major, minor);
    }

    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex KubeVersion();
}
