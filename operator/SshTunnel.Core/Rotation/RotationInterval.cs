using System.Globalization;
using System.Text.RegularExpressions;

namespace SshTunnel.Core.Rotation;

/// <summary>
/// Reads <c>spec.rotation.interval</c>: a Go-style duration of at least one hour, written in
/// hours with optional minutes and seconds (<c>720h</c>, <c>1h30m</c>), exactly the form the
/// CRD's rule admits. The hour minimum leaves time to install key 2 between rotations.
/// </summary>
public static partial class RotationInterval
{
    /// <summary>The duration <paramref name="text"/> stands for; null when absent or not a duration of that form.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (text is null || !Form().IsMatch(text))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(text))
        {
            var amount = long.Parse(part.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return total;
    }

    [GeneratedRegex("^0*[1-9][0-9]{0,5}h([0-9]{1,4}m)?([0-9]{1,6}s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Form();

    [GeneratedRegex("(?<amount>[0-9]+)(?<unit>[hms])", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
