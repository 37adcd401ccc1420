using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Reads JSON numbers as the Go API server decodes them: an integer literal that fits is an int64, anything else a float64.
/// </summary>
internal static class JsonNumbers
{
    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public static bool TryGetInt64(JsonValue value, out long result)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetInt64(out result);
        }

        if (value.TryGetValue<long>(out result))
        {
            return true;
        }

        if (value.TryGetValue<int>(out var int32))
        {
            result = int32;
            return true;
        }

        result = 0;
        return false;
    }

    public static double GetDouble(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.GetDouble();
        }

        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }

        return TryGetInt64(value, out var integer) ? integer : Convert.ToDouble(value.GetValue<object>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a number is integral, as go-openapi's <c>IsFloat64AJSONInteger</c> allows for type integer.</summary>
    public static bool IsIntegral(JsonValue value)
    {
        if (TryGetInt64(value, out _))
        {
            return true;
        }

        var number = GetDouble(value);
        return !double.IsInfinity(number) && !double.IsNaN(number) && Math.Floor(number) == number && Math.Abs(number) < 9007199254740992d;
    }
}
