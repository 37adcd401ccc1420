using System.Buffers.Binary;
using System.Text;

namespace SshTunnel.Core.Keys;

/// <summary>Writes the SSH wire encoding (RFC 4251 section 5) used inside OpenSSH key blobs.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream buffer = new();

    public int Length => (int)buffer.Length;

    public SshWireWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        buffer.Write(value);
        return this;
    }

    public SshWireWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    public SshWireWriter Raw(ReadOnlySpan<byte> value)
    {
        buffer.Write(value);
        return this;
    }

    public SshWireWriter Byte(byte value)
    {
        buffer.WriteByte(value);
        return this;
    }

    public byte[] ToArray() => buffer.ToArray();
}
