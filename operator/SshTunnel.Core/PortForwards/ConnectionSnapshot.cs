namespace SshTunnel.Core.PortForwards;

/// <summary>What a port forward needs to know of the <c>SshTunnelConnection</c> it uses.</summary>
/// <param name="KeysPublished">The connection's status carries its public keys: the operator has written its key Secret.</param>
/// <param name="SecretPresent">The key Secret <c>&lt;connection&gt;-ssh-keys</c> exists, so the forwarder pods can mount it.</param>
public sealed record ConnectionSnapshot(bool KeysPublished, bool SecretPresent);
