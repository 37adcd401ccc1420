using System.Text;

namespace Kube.Emulator.Objects;

/// <summary>A forward-only reader of protobuf wire format.</summary>
internal sealed class ProtobufReader(byte[] buffer)
{
    private int position;

    public bool TryReadTag(out int field, out int wire)
    {
        if (position >= buffer.Length)
        {
            field = 0;
            wire = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wire = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var next = buffer[position++];
            result |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("protobuf varint is too long");
    }

    public byte[] ReadBytes()
    {
        var length = (int)ReadVarint();
        var bytes = buffer.AsSpan(position, length).ToArray();
        position += length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                position += 8;
                break;
            case 2:
                var length = (int)ReadVarint();
                position += length;
                break;
            case 5:
                position += 4;
                break;
            default:
                throw new FormatException("unsupported protobuf wire type " + wire);
        }
    }
}
