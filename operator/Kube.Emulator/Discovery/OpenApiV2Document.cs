using System.Text;

namespace Kube.Emulator.Discovery;

/// <summary>
/// A minimal gnostic openapi_v2.Document in protobuf (swagger 2.0, info, empty paths and definitions): enough for
/// kubectl to find no schema for a kind and fall back to JSON merge patch and server-side field validation.
/// </summary>
internal static class OpenApiV2Document
{
    /// <summary>The real server answers <c>application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c>, which Go's mime parser rejects; kubectl accepts this form.</summary>
    public const string ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static byte[] Build(string gitVersion)
    {
        var info = Concat(Field(1, "Kubernetes"), Field(2, gitVersion));
        return Concat(Field(1, "2.0"), Field(2, info), Field(8, []), Field(9, []));
    }

    private static byte[] Field(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int number, byte[] payload)
    {
        var bytes = new List<byte> { (byte)((number << 3) | 2) };
        var length = payload.Length;
        do
        {
            var next = (byte)(length & 0x7F);
            length >>= 7;
            bytes.Add(length > 0 ? (byte)(next | 0x80) : next);
        }
        while (length > 0);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
