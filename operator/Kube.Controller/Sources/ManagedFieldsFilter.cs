using System.Text.Json;

namespace Kube.Controller.Sources;

/// <summary>
/// Blanks <c>metadata.managedFields</c> in a JSON body before it is decoded: no controller here
/// reads them (informers drop them from every cached object), and their <c>fieldsV1</c> trees
/// are the costliest part of decoding an object (each becomes a JsonElement with its own copy).
/// The value is overwritten in place with <c>null</c> and spaces, so the body keeps its length.
/// </summary>
internal static class ManagedFieldsFilter
{
    /// <summary>Blanks the managedFields of every object's metadata in <paramref name="json"/>: one object, a list's items, or a watch event's object.</summary>
    public static void Blank(Span<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false });
        // Object metadata never nests another object's metadata, so one depth is enough.
        var metadataDepth = -1;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when metadataDepth < 0 && reader.ValueTextEquals("metadata"u8):
                        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            metadataDepth = reader.CurrentDepth;
                        }

                        break;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == metadataDepth + 1 && reader.ValueTextEquals("managedFields"u8):
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        BlankValue(json[start..(int)reader.BytesConsumed]);
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == metadataDepth:
                        metadataDepth = -1;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all (an error page): left as it is, for the decoder to report.
        }
    }

    /// <summary>Overwrites one JSON value with <c>null</c> and spaces; a value shorter than <c>null</c> (<c>[]</c>) stays.</summary>
    public static void BlankValue(Span<byte> value)
    {
        if (value.Length >= 4)
        {
            "null"u8.CopyTo(value);
            value[4..].Fill((byte)' ');
        }
    }
}
