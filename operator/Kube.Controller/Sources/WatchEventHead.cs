using System.Text.Json;
using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// What a watch event line says before its object is decoded: the event type, the object's
/// kind, namespace, name and resourceVersion, and where the object's JSON lies in the line.
/// Read with a forward-only reader that allocates only those strings, so an event that needs
/// no object (a bookmark, one's own write) costs a scan of the line and nothing more.
/// </summary>
internal readonly record struct WatchEventHead(
    WatchEventType Type, string? Kind, string? Namespace, string? Name, string? ResourceVersion, Range Object)
{
    /// <summary>The head of <paramref name="line"/>, one <c>{"type": ..., "object": {...}}</c> event.</summary>
    /// <exception cref="JsonException">The line is not such an event.</exception>
    public static WatchEventHead Read(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        Expect(ref reader, JsonTokenType.StartObject);
        WatchEventType? type = null;
        string? kind = null, ns = null, name = null, resourceVersion = null;
        Range? objectRange = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Expect(ref reader, JsonTokenType.String);
                type = ParseType(ref reader);
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                var start = (int)reader.TokenStartIndex;
                ReadObject(ref reader, ref kind, ref ns, ref name, ref resourceVersion);
                objectRange = start..(int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new WatchEventHead(
            type ?? throw new JsonException("A watch event without a type."),
            kind,
            ns,
            name,
            resourceVersion,
            objectRange ?? throw new JsonException("A watch event without an object."));
    }

    private static WatchEventType ParseType(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("ADDED"u8) ? WatchEventType.Added
        : reader.ValueTextEquals("MODIFIED"u8) ? WatchEventType.Modified
        : reader.ValueTextEquals("DELETED"u8) ? WatchEventType.Deleted
        : reader.ValueTextEquals("BOOKMARK"u8) ? WatchEventType.Bookmark
        : reader.ValueTextEquals("ERROR"u8) ? WatchEventType.Error
        : throw new JsonException($"Unknown watch event type {reader.GetString()}.");

    /// <summary>Reads the object's kind and metadata, skipping everything else; leaves the reader on the object's end.</summary>
    private static void ReadObject(ref Utf8JsonReader reader, ref string? kind, ref string? ns, ref string? name, ref string? resourceVersion)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                kind = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                if (Next(ref reader) == JsonTokenType.StartObject)
                {
                    ReadMetadata(ref reader, ref ns, ref name, ref resourceVersion);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, ref string? ns, ref string? name, ref string? resourceVersion)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("namespace"u8))
            {
                ns = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                resourceVersion = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The next value when it is a string; any other value is skipped.</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("A watch event line ends inside its JSON.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (Next(ref reader) != expected)
        {
            throw new JsonException($"A watch event has {reader.TokenType} where {expected} belongs.");
        }
    }
}
