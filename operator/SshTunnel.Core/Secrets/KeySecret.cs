using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;

namespace SshTunnel.Core.Secrets;

/// <summary>
/// The typed content of a connection's key Secret, the single source of truth: both key
/// pairs, the connection in effect, the pinned host key, and the rotation state.
/// </summary>
/// <param name="Key1">The key in use (Materialize's <c>public_key_1</c>).</param>
/// <param name="Key2">The key the next rotation promotes.</param>
/// <param name="Connection">The parameters in effect; null until a spec has taken effect (validation pending).</param>
/// <param name="KnownHosts">The <c>known_hosts</c> line for the bastion, once its host key is known.</param>
/// <param name="Rotation">The handled rotation token, the rotation count and the last rotation time.</param>
public sealed record KeySecret(
    KeyPair Key1,
    KeyPair Key2,
    ConnectionParameters? Connection,
    string? KnownHosts,
    RotationStatus Rotation);
