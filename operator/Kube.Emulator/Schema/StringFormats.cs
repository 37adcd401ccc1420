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
        "datetime" => DateTimePattern().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "byte" => IsBase64(value),
        "ipv4" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(value, out _),
        "uuid" => Uuid().IsMatch(value),
        "uuid3" => Uuid3().IsMatch(value),
        "uuid4" => Uuid4().IsMatch(value),
        "uuid5" => Uuid5().IsMatch(value),
        "hostname" => Hostname().IsMatch(value),
        "duration" => Duration().IsMatch(value),
        _ => true,
    };

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

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
