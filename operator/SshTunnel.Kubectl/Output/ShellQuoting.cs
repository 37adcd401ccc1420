using System.Text.RegularExpressions;

namespace SshTunnel.Kubectl.Output;

/// <summary>Quotes a word for a POSIX shell only when it needs it, so printed commands can be pasted as they are.</summary>
public static partial class ShellQuoting
{
    public static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+=,\[\]-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeWord();
}
