namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// One version of a connection's key Secret as a watch delivered it: both key pairs (the private
/// keys as stored, so the checker can follow a pair and look for it in logs), the rotation count
/// and the rotate-keys value handled, both from the Secret's annotations.
/// </summary>
public sealed record SecretVersion(
    string Connection,
    long ResourceVersion,
    string PublicKey1,
    string PrivateKey1,
    string PublicKey2,
    string PrivateKey2,
    int RotationCount,
    long? RotationHandled);
