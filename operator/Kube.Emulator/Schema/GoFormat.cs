using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Renders values the way the Go API server does (<c>%v</c>, <c>%q</c>, <c>encoding/json</c>),
/// because the server's messages embed values printed by Go.
/// </summary>
internal static class GoFormat
{
    /// <summary>A bad value as <c>field.Error.ErrorBody</c> prints it: simple types plainly, strings quoted, the rest as JSON.</summary>
    public static string Value(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v),
        _ => Json(value),
    };

    /// <summary>A JSON number as Go prints the int64 or float64 it decodes to.</summary>
    public static string Number(JsonValue number)
    {
        if (JsonNumbers.TryGetInt64(number, out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        return Float(JsonNumbers.GetDouble(number));
    }

    /// <summary>A float64 as Go's <c>%v</c> (<c>%g</c>, shortest): exponent form below 1e-4 and from 1e6.</summary>
    public static string Float(double value) => FormatShortest(value, exponentBelow: -4, exponentFrom: 6, minExponentDigits: 2);

    /// <summary>A string as Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    }
                    else if (!IsPrint(rune))
                    {
                        builder.Append(rune.Value > 0xffff
                            ? string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}")
                            : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    /// <summary>A JSON value as Go's <c>json.Marshal</c> of the decoded value: sorted keys, HTML-safe escapes.</summary>
    public static string Json(JsonNode? node)
    {
        var builder = new StringBuilder();
        WriteJson(builder, node);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteJsonString(builder, key);
                    builder.Append(':');
                    WriteJson(builder, child);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteJson(builder, array[i]);
                }

                builder.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteJsonString(builder, value.GetValue<string>());
                        break;
                    case JsonValueKind.Number:
                        builder.Append(JsonNumbers.TryGetInt64(value, out var integer)
                            ? integer.ToString(CultureInfo.InvariantCulture)
                            : FormatShortest(JsonNumbers.GetDouble(value), exponentBelow: -6, exponentFrom: 21, minExponentDigits: 1));
                        break;
                    case JsonValueKind.True:
                        builder.Append("true");
                        break;
                    case JsonValueKind.False:
                        builder.Append("false");
                        break;
                    default:
                        builder.Append("null");
                        break;
                }

                break;
        }
    }

    private static void WriteJsonString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }

    private static string FormatShortest(double value, int exponentBelow, int exponentFrom, int minExponentDigits)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointPosition) = Decompose(shortest);
        var exponent = pointPosition - 1;
        var sign = value < 0 ? "-" : "";
        if (exponent < exponentBelow || exponent >= exponentFrom)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var exponentText = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(minExponentDigits, '0');
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText;
        }

        if (pointPosition <= 0)
        {
            return sign + "0." + new string('0', -pointPosition) + digits;
        }

        if (pointPosition >= digits.Length)
        {
            return sign + digits + new string('0', pointPosition - digits.Length);
        }

        return sign + digits[..pointPosition] + "." + digits[pointPosition..];
    }

    private static (string Digits, int PointPosition) Decompose(string shortest)
    {
        var exponent = 0;
        var mantissa = shortest;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = shortest[..e];
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point >= 0 ? mantissa[..point] : mantissa;
        var fraction = point >= 0 ? mantissa[(point + 1)..] : "";
        var digits = (integerPart + fraction).TrimStart('0');
        var leadingZeros = (integerPart + fraction).Length - digits.Length;
        var pointPosition = integerPart.Length - leadingZeros + exponent;
        return (digits.TrimEnd('0') is { Length: > 0 } trimmed ? trimmed : "0", pointPosition);
    }
}
