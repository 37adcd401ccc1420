using System.Buffers.Binary;
using System.Text;

namespace SshTunnel.Core.Keys;

/// <summary>
/// Reads the SSH wire encoding. Every read reports failure instead of throwing, because the
/// input is whatever someone put into a Secret.
/// </summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> rest = data;

    public readonly ReadOnlySpan<byte> Remaining => rest;

    public bool TryUInt32(out uint value)
    {
        if (rest.Length < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(rest);
        rest = rest[4..];
        return true;
    }

    public bool TryBytes(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryUInt32(out var length) || length > rest.Length)
        {
            return false;
        }

        value = rest[..(int)length];
        rest = rest[(int)length..];
        return true;
    }

    public bool TryString(out string value)
    {
        value = "";
        if (!TryBytes(out var bytes))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
