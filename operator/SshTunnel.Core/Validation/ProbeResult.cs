using SshTunnel.Core.Model;

namespace SshTunnel.Core.Validation;

/// <summary>
/// What the bastion said when the operator tried both keys against <see cref="Connection"/>.
/// </summary>
/// <param name="Connection">The parameters that were probed.</param>
/// <param name="Key1">The login with key 1; it decides <c>Validated</c> and gates spec changes.</param>
/// <param name="Key2">The login with key 2 (<c>SecondaryKeyAuthorized</c>); null when not tried.</param>
/// <param name="HostKey">The host key the bastion presented, as an OpenSSH public key line; null if none was seen.</param>
/// <param name="HostKeyFingerprint">The presented host key's <c>SHA256:</c> fingerprint; null if none was seen.</param>
/// <param name="CompletedAt">When the probe finished.</param>
public sealed record ProbeResult(
    ConnectionParameters Connection,
    KeyProbe Key1,
    KeyProbe? Key2,
    string? HostKey,
    string? HostKeyFingerprint,
    DateTimeOffset CompletedAt);
