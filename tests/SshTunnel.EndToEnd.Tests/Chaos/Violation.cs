namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>One broken promise, with the connection (empty for the whole run) and what was seen.</summary>
public sealed record Violation(ViolationKind Kind, string Connection, string Detail)
{
    public override string ToString() => $"{Kind} {Connection}: {Detail}";
}
