namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>One version of a connection's status as a watch delivered it: the published keys and <c>status.rotation</c>.</summary>
public sealed record StatusVersion(
    string Connection,
    long ResourceVersion,
    string? PublicKey1,
    string? PublicKey2,
    int RotationCount,
    long? RotationHandled);
