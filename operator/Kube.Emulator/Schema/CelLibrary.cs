using System.Collections;
using System.Text;
using Cel;

namespace Kube.Emulator.Schema;

/// <summary>
/// The Kubernetes CEL library functions the emulator adds to the Cel package: the string extensions
/// (<c>lowerAscii</c>, <c>upperAscii</c>, <c>trim</c>, <c>split</c>, <c>join</c>, <c>replace</c>, <c>indexOf</c>,
/// <c>lastIndexOf</c>) and <c>isURL</c>.
/// </summary>
internal static class CelLibrary
{
    public static void Register(CelEnvironment environment)
    {
        environment.RegisterFunction("lowerAscii", [typeof(string)], a => MapAscii((string)a[0]!, 'A', 'Z', 'a' - 'A'));
        environment.RegisterFunction("upperAscii", [typeof(string)], a => MapAscii((string)a[0]!, 'a', 'z', 'A' - 'a'));
        environment.RegisterFunction("trim", [typeof(string)], a => ((string)a[0]!).Trim());
        environment.RegisterFunction("split", [typeof(string), typeof(string)], a => Split((string)a[0]!, (string)a[1]!));
        environment.RegisterFunction("join", [typeof(IList)], a => Join((IList)a[0]!, ""));
        environment.RegisterFunction("join", [typeof(IList), typeof(string)], a => Join((IList)a[0]!, (string)a[1]!));
        environment.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)], a => Replace((string)a[0]!, (string)a[1]!, (string)a[2]!));
        environment.RegisterFunction("indexOf", [typeof(string), typeof(string)], a => IndexOf((string)a[0]!, (string)a[1]!, last: false));
        environment.RegisterFunction("lastIndexOf", [typeof(string), typeof(string)], a => IndexOf((string)a[0]!, (string)a[1]!, last: true));
        environment.RegisterFunction("isURL", [typeof(string)], a => IsUrl((string)a[0]!));
    }

    private static string MapAscii(string text, char from, char to, int shift)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c >= from && c <= to ? (char)(c + shift) : c);
        }

        return builder.ToString();
    }

    /// <summary>Go's <c>strings.Split</c>: an empty separator splits into code points.</summary>
    private static List<object?> Split(string text, string separator) => separator.Length == 0
        ? text.EnumerateRunes().Select(r => (object?)r.ToString()).ToList()
        : text.Split(separator).Select(s => (object?)s).ToList();

    private static string Join(IList list, string separator) => string.Join(separator, list.Cast<object?>().Select(item => item as string ?? throw new CelNoSuchOverloadException("join applies to a list of strings")));

    /// <summary>Go's <c>strings.ReplaceAll</c>: an empty old string inserts the new one around every code point.</summary>
    private static string Replace(string text, string oldValue, string newValue) => oldValue.Length == 0
        ? newValue + string.Concat(text.EnumerateRunes().Select(r => r.ToString() + newValue))
        : text.Replace(oldValue, newValue, StringComparison.Ordinal);

    /// <summary>The index in code points, as CEL counts string positions; -1 when absent.</summary>
    private static long IndexOf(string text, string value, bool last)
    {
        var index = last ? text.LastIndexOf(value, StringComparison.Ordinal) : text.IndexOf(value, StringComparison.Ordinal);
        return index < 0 ? -1 : text[..index].EnumerateRunes().Count();
    }

    /// <summary>Go's <c>url.ParseRequestURI</c> succeeds: an absolute URL with a scheme, or an absolute path.</summary>
    private static bool IsUrl(string text)
    {
        if (text.Length == 0 || text.Any(c => c < ' ' || c == 0x7f || c == ' '))
        {
            return false;
        }

        if (text.StartsWith('/'))
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && char.IsAsciiLetter(text[0])
            && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            && Uri.TryCreate(text, UriKind.Absolute, out _);
    }
}
