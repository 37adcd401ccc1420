using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kube.Emulator.Schema;

/// <summary>
/// The string formats of go-openapi's <c>strfmt.Default</c> registry that the emulator checks.
/// </summary>
internal static partial class StringFormats
{
    public static bool IsValid(string format, string value) => format.Replace("-", "", StringComparison.Ordinal) switch
    {
        "datetime" => IsDateTime(value),
        "date" => IsDate(value),
        "byte" => IsBase64(value),
        "ipv4" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IsCidr(value),
        "uuid" => Uuid().IsMatch(value),
        "uuid3" => Uuid3().IsMatch(value),
        "uuid4" => Uuid4().IsMatch(value),
        "uuid5" => Uuid5().IsMatch(value),
        "hostname" => Hostname().IsMatch(value),
        "duration" => Duration().IsMatch(value),
        _ => true,
    };

    /// <summary>strfmt's <c>IsDateTime</c>: a full date, a <c>t</c>, and a time with a zone, compared digit-wise.</summary>
    private static bool IsDateTime(string value)
    {
        var parts = value.ToLowerInvariant().Split('t');
        if (value.Length < 4 || parts.Length < 2 || !IsDate(parts[0]))
        {
            return false;
        }

        var match = TimeOfDay().Match(parts[1]);
        return match.Success
            && string.CompareOrdinal(match.Groups[1].Value, "23") <= 0
            && string.CompareOrdinal(match.Groups[2].Value, "59") <= 0
            && string.CompareOrdinal(match.Groups[3].Value, "59") <= 0;
    }

    private static bool IsDate(string value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Go's <c>net.ParseCIDR</c>: an address and a prefix length; host bits may be set.</summary>
    private static bool IsCidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(value[..slash], out var address) || !value[(slash + 1)..].All(char.IsAsciiDigit) || slash + 1 == value.Length)
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= maxPrefix;
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    [GeneratedRegex("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$")]
    private static partial Regex TimeOfDay();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid3();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid4();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid5();

    [GeneratedRegex(@"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$")]
    private static partial Regex Hostname();

    [GeneratedRegex(@"^(\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w))+$")]
    private static partial Regex Duration();
}
