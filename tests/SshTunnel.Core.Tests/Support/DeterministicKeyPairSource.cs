using System.Security.Cryptography;
using System.Text;
using SshTunnel.Core.Keys;

namespace SshTunnel.Core.Tests.Support;

/// <summary>Real Ed25519 key pairs from seeds derived from a counter, so every test run sees the same keys.</summary>
internal sealed class DeterministicKeyPairSource(string label = "test") : IKeyPairSource
{
    public int Created { get; private set; }

    public KeyPair Create(string comment)
    {
        Created++;
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{label}-{Created}"));
        return Ed25519OpenSsh.CreateKeyPair(seed, comment, (uint)Created * 2654435761u);
    }
}
