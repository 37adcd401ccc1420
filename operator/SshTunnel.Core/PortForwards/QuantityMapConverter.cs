using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// Reads a map of resource quantities that the API server keeps as written, number or string
/// (<c>x-kubernetes-int-or-string</c>: <c>cpu: 1</c> stays a number), as text; writes strings.
/// </summary>
public sealed class QuantityMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.EnumerateObject().ToDictionary(
            quantity => quantity.Name,
            quantity => quantity.Value.ValueKind == JsonValueKind.Number
                ? quantity.Value.GetRawText()
                : quantity.Value.GetString() ?? "",
            StringComparer.Ordinal);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, quantity) in value.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name, quantity.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
    }
}
