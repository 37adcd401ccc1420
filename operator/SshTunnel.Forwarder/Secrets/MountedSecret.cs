using System.Globalization;
using SshTunnel.Core.Keys;

namespace SshTunnel.Forwarder.Secrets;

/// <summary>
/// One consistent read of the mounted key Secret: the connection in effect, both private keys
/// and the bastion's known host keys. <see cref="Version"/> changes whenever the kubelet swaps
/// the folder's contents. <see cref="ToString"/> never prints key material.
/// </summary>
public sealed record MountedSecret(
    string Version,
    string Host,
    int Port,
    string User,
    string PrivateKey1,
    string? PrivateKey2,
    KnownHosts KnownHosts)
{
    /// <summary><c>user@host:port</c>, as logs and messages name the bastion.</summary>
    public string Target => string.Create(CultureInfo.InvariantCulture, $"{User}@{Host}:{Port}");

    public override string ToString() => $"MountedSecret {{ Version = {Version}, Target = {Target} }}";
}
