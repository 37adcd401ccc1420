using SshTunnel.Core.Keys;
using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>How one login with one key at one address ended, and the host key seen on the way.</summary>
internal sealed record LoginResult(KeyProbe Probe, SshPublicKey? HostKey);
