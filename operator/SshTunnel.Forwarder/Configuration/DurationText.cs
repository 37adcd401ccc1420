using System.Globalization;

namespace SshTunnel.Forwarder.Configuration;

/// <summary>Durations on the command line: a positive number with <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>.</summary>
public static class DurationText
{
    /// <summary>Reads <c>500ms</c>, <c>30s</c>, <c>2m</c> or <c>1h</c>; false for anything else, zero or negative.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal)
            ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text.Length > 1 ? (text[..^1], UnitOf(text[^1])) : ("", TimeSpan.Zero);
        if (unit == TimeSpan.Zero
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            return false;
        }

        value = unit * amount;
        return true;
    }

    private static TimeSpan UnitOf(char unit) => unit switch
    {
        's' => TimeSpan.FromSeconds(1),
        'm' => TimeSpan.FromMinutes(1),
        'h' => TimeSpan.FromHours(1),
        _ => TimeSpan.Zero,
    };
}
