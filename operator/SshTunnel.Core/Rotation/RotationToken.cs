using System.Globalization;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.Rotation;

/// <summary>
/// The value of the <c>sshtunnels.io/rotate-keys</c> annotation: absent, an integer (a
/// 64-bit signed number, e.g. <c>$(date +%s)</c>), or something else that the operator
/// refuses to act on.
/// </summary>
public readonly record struct RotationToken
{
    private RotationToken(string? raw, long? value, string? problem)
    {
        Raw = raw;
        Value = value;
        Problem = problem;
    }

    /// <summary>The annotation's text; null when the annotation is absent.</summary>
    public string? Raw { get; }

    /// <summary>The integer; null when absent or invalid.</summary>
    public long? Value { get; }

    /// <summary>Why the value is refused, for events and the Ready message; null when absent or valid.</summary>
    public string? Problem { get; }

    public bool IsAbsent => Raw is null;

    public bool IsValid => Value is not null;

    /// <summary>The text recorded as handled: the value in its one plain form.</summary>
    public string? Canonical => Value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an annotation value; <paramref name="raw"/> null means the annotation is absent. Only
    /// a plain base-10 integer is valid (digits, an optional leading minus, no leading zeros,
    /// spaces or plus sign), so the value handled is always written as the user wrote it; any
    /// other text is refused, which never rotates and never touches the keys.
    /// </summary>
    public static RotationToken Parse(string? raw)
    {
        if (raw is null)
        {
            return new RotationToken(null, null, null);
        }

        var annotation = ResourceNames.RotateKeysAnnotation;
        if (IsPlainInteger(raw))
        {
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? new RotationToken(raw, value, null)
                : new RotationToken(raw, null, $"the value \"{raw}\" of annotation {annotation} is out of range (a 64-bit integer is expected, e.g. $(date +%s))");
        }

        var problem = long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var lenient)
            ? $"the value \"{raw}\" of annotation {annotation} is not a plain base-10 integer (digits only: no spaces, plus sign or leading zeros); write it as {lenient.ToString(CultureInfo.InvariantCulture)}"
            : $"the value \"{raw}\" of annotation {annotation} is not an integer (use e.g. $(date +%s))";
        return new RotationToken(raw, null, problem);
    }

    private static bool IsPlainInteger(string text)
    {
        if (text == "0")
        {
            return true;
        }

        var digits = text.StartsWith('-') ? text[1..] : text;
        return digits.Length > 0 && digits[0] is >= '1' and <= '9' && digits.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// Whether this token asks for a rotation after <paramref name="handled"/> was done: it
    /// is valid and greater, or valid with nothing handled yet.
    /// </summary>
    public bool IsNewerThan(string? handled) =>
        Value is { } value && (Parse(handled).Value is not { } previous || value > previous);

    /// <summary>The larger of two handled tokens (either may be null or invalid); canonical text.</summary>
    public static string? Max(string? first, string? second) =>
        (Parse(first).Value, Parse(second).Value) switch
        {
            ({ } a, { } b) => Math.Max(a, b).ToString(CultureInfo.InvariantCulture),
            ({ } a, null) => a.ToString(CultureInfo.InvariantCulture),
            (null, { } b) => b.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
}
