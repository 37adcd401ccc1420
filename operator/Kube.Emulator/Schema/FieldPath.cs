using System.Globalization;

namespace Kube.Emulator.Schema;

/// <summary>
/// Builds field paths as apimachinery's <c>field.Path</c> prints them; the empty string is the nil path.
/// </summary>
internal static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Key(string parent, string key) => parent + "[" + key + "]";

    /// <summary>The path as an error prints it: the nil path is <c>&lt;nil&gt;</c>.</summary>
    public static string Display(string path) => path.Length == 0 ? FieldError.NoFieldPath : path;
}
