using System.Buffers.Binary;
using System.Security.Cryptography;
using SshTunnel.Core.Keys;

namespace SshTunnel.Operator.Keys;

/// <summary>
/// Makes Ed25519 key pairs in-process: the seed and OpenSSH's check value come from the
/// operating system's cryptographic RNG, the public key from libsodium (through Core's
/// encoder), never from a shelled-out ssh-keygen.
/// </summary>
public sealed class Ed25519KeyPairSource : IKeyPairSource
{
    public KeyPair Create(string comment)
    {
        Span<byte> seed = stackalloc byte[32];
        Span<byte> check = stackalloc byte[4];
        RandomNumberGenerator.Fill(seed);
        RandomNumberGenerator.Fill(check);
        try
        {
            return Ed25519OpenSsh.CreateKeyPair(seed, comment, BinaryPrimitives.ReadUInt32BigEndian(check));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
