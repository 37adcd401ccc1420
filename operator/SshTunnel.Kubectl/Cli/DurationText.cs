using System.Globalization;
using System.Text.RegularExpressions;

namespace SshTunnel.Kubectl.Cli;

/// <summary>Durations the way kubectl writes them (<c>90s</c>, <c>5m</c>, <c>1h30m</c>).</summary>
public static partial class DurationText
{
    /// <summary>Reads <c>1h30m</c>, <c>5m</c>, <c>90s</c>; null when the text is not such a positive duration.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var number = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            total += part.Value[^1] switch
            {
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromSeconds(number),
            };
        }

        return total > TimeSpan.Zero ? total : null;
    }

    /// <summary>The shortest of those forms, to whole seconds.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = (duration.Days * 24 + duration.Hours > 0 ? $"{duration.Days * 24 + duration.Hours}h" : "")
            + (duration.Minutes > 0 ? $"{duration.Minutes}m" : "")
            + (duration.Seconds > 0 ? $"{duration.Seconds}s" : "");
        return text.Length > 0 ? text : "0s";
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}[hms])+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
