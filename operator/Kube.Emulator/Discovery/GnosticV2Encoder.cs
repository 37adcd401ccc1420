using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Discovery;

/// <summary>
/// Encodes a swagger 2.0 JSON document as gnostic's <c>openapi.v2.Document</c> protobuf (OpenAPIv2.proto), the form
/// kubectl asks /openapi/v2 for: info, empty paths, and every definition's schema with its vendor extensions
/// (values as YAML text, which JSON is).
/// </summary>
internal static class GnosticV2Encoder
{
    public static byte[] Document(JsonObject document)
    {
        var writer = new Writer();
        writer.String(1, document["swagger"]?.GetValue<string>());
        if (document["info"] is JsonObject info)
        {
            var infoWriter = new Writer();
            infoWriter.String(1, info["title"]?.GetValue<string>());
            infoWriter.String(2, info["version"]?.GetValue<string>());
            writer.Message(2, infoWriter);
        }

        writer.Message(8, new Writer());
        var definitions = new Writer();
        foreach (var (name, schema) in document["definitions"]?.AsObject() ?? [])
        {
            definitions.Message(1, Named(name, Schema(schema!.AsObject())));
        }

        writer.Message(9, definitions);
        return writer.ToArray();
    }

    private static Writer Schema(JsonObject schema)
    {
        var writer = new Writer();
        foreach (var (key, value) in schema)
        {
            if (value is null)
            {
                continue;
            }

            switch (key)
            {
                case "$ref":
                    writer.String(1, value.GetValue<string>());
                    break;
                case "format":
                    writer.String(2, value.GetValue<string>());
                    break;
                case "title":
                    writer.String(3, value.GetValue<string>());
                    break;
                case "description":
                    writer.String(4, value.GetValue<string>());
                    break;
                case "default":
                    writer.Message(5, Any(value));
                    break;
                case "multipleOf":
                    writer.Double(6, value.GetValue<double>());
                    break;
                case "maximum":
                    writer.Double(7, value.GetValue<double>());
                    break;
                case "exclusiveMaximum":
                    writer.Boolean(8, value.GetValue<bool>());
                    break;
                case "minimum":
                    writer.Double(9, value.GetValue<double>());
                    break;
                case "exclusiveMinimum":
                    writer.Boolean(10, value.GetValue<bool>());
                    break;
                case "maxLength":
                    writer.Integer(11, value.GetValue<long>());
                    break;
                case "minLength":
                    writer.Integer(12, value.GetValue<long>());
                    break;
                case "pattern":
                    writer.String(13, value.GetValue<string>());
                    break;
                case "maxItems":
                    writer.Integer(14, value.GetValue<long>());
                    break;
                case "minItems":
                    writer.Integer(15, value.GetValue<long>());
                    break;
                case "uniqueItems":
                    writer.Boolean(16, value.GetValue<bool>());
                    break;
                case "maxProperties":
                    writer.Integer(17, value.GetValue<long>());
                    break;
                case "minProperties":
                    writer.Integer(18, value.GetValue<long>());
                    break;
                case "required":
                    foreach (var name in value.AsArray())
                    {
                        writer.String(19, name!.GetValue<string>());
                    }

                    break;
                case "enum":
                    foreach (var item in value.AsArray())
                    {
                        writer.Message(20, Any(item));
                    }

                    break;
                case "additionalProperties":
                    {
                        var item = new Writer();
                        if (value is JsonObject additional)
                        {
                            item.Message(1, Schema(additional));
                        }
                        else
                        {
                            item.Boolean(2, value.GetValue<bool>(), always: true);
                        }

                        writer.Message(21, item);
                        break;
                    }

                case "type":
                    {
                        var types = new Writer();
                        foreach (var name in value is JsonArray list ? list.Select(entry => entry!.GetValue<string>()) : [value.GetValue<string>()])
                        {
                            types.String(1, name);
                        }

                        writer.Message(22, types);
                        break;
                    }

                case "items":
                    {
                        var items = new Writer();
                        foreach (var item in value is JsonArray list ? list.Select(entry => entry!.AsObject()) : [value.AsObject()])
                        {
                            items.Message(1, Schema(item));
                        }

                        writer.Message(23, items);
                        break;
                    }

                case "allOf":
                    foreach (var item in value.AsArray())
                    {
                        writer.Message(24, Schema(item!.AsObject()));
                    }

                    break;
                case "properties":
                    {
                        var properties = new Writer();
                        foreach (var (name, property) in value.AsObject())
                        {
                            properties.Message(1, Named(name, Schema(property!.AsObject())));
                        }

                        writer.Message(25, properties);
                        break;
                    }

                case "discriminator":
                    writer.String(26, value.GetValue<string>());
                    break;
                case "readOnly":
                    writer.Boolean(27, value.GetValue<bool>());
                    break;
                case var extension when extension.StartsWith("x-", StringComparison.Ordinal):
                    writer.Message(31, Named(extension, Any(value)));
                    break;
                default:
                    // Swagger 2.0 has no oneOf, anyOf, not or nullable; the real server strips them from its v2 view too.
                    break;
            }
        }

        return writer;
    }

    private static Writer Named(string name, Writer value)
    {
        var named = new Writer();
        named.String(1, name);
        named.Message(2, value);
        return named;
    }

    /// <summary>gnostic's Any: the value as YAML text (field 2).</summary>
    private static Writer Any(JsonNode? value)
    {
        var any = new Writer();
        any.String(2, value is null ? "null" : Encoding.UTF8.GetString(JsonText.Serialize(value)) + "\n");
        return any;
    }

    /// <summary>Protocol buffer wire format, proto3 style: scalar fields at their default value are left out.</summary>
    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> buffer = new();

        public byte[] ToArray() => buffer.WrittenSpan.ToArray();

        public void String(int field, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            Bytes(field, Encoding.UTF8.GetBytes(value));
        }

        public void Message(int field, Writer message) => Bytes(field, message.ToArray());

        public void Boolean(int field, bool value, bool always = false)
        {
            if (!value && !always)
            {
                return;
            }

            Tag(field, 0);
            Varint(value ? 1UL : 0UL);
        }

        public void Integer(int field, long value)
        {
            if (value == 0)
            {
                return;
            }

            Tag(field, 0);
            Varint(unchecked((ulong)value));
        }

        public void Double(int field, double value)
        {
            if (value == 0)
            {
                return;
            }

            Tag(field, 1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            buffer.Write(bytes);
        }

        private void Bytes(int field, byte[] payload)
        {
            Tag(field, 2);
            Varint((ulong)payload.Length);
            buffer.Write(payload);
        }

        private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                buffer.Write([(byte)(value | 0x80)]);
                value >>= 7;
            }

            buffer.Write([(byte)value]);
        }
    }
}
