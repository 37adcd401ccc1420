using System.Globalization;

namespace Kube.Emulator.Schema;

/// <summary>
/// Renders an age as apimachinery's <c>duration.HumanDuration</c>, as the real server renders date table cells
/// (the emulator's table writer renders the raw timestamps of <see cref="PrinterColumnSet.Cells"/> with it).
/// </summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Text($"{seconds}s");
        }

        var minutes = (long)age.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Text($"{minutes}m") : Text($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Text($"{minutes}m");
        }

        var hours = (long)age.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Text($"{hours}h") : Text($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Text($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Text($"{hours / 24}d") : Text($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Text($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? Text($"{hours / 24 / 365}y") : Text($"{hours / 24 / 365}y{days}d");
        }

        return Text($"{hours / 24 / 365}y");
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
