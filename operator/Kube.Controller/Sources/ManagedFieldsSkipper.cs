using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Reads <c>metadata.managedFields</c> as null without building it: no controller here reads
/// them (informers drop them from every cached object), and their <c>fieldsV1</c> trees are the
/// costliest part of an object to decode (each becomes a JsonElement with its own copy of the
/// bytes). Only in <see cref="ClientJson"/>'s options, which read and never write.
/// </summary>
internal sealed class ManagedFieldsSkipper : JsonConverter<IList<V1ManagedFieldsEntry>>
{
    public override IList<V1ManagedFieldsEntry>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The serializer buffers a custom converter's whole value first, but a reader over part of a
        // stream refuses Skip; TrySkip is the one that works there, and succeeds.
        if (!reader.TrySkip())
        {
            throw new JsonException("managedFields ended before their value did.");
        }

        return null;
    }

    public override void Write(Utf8JsonWriter writer, IList<V1ManagedFieldsEntry> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The controller's read options never write managedFields.");
}
