namespace SshTunnel.Core.Secrets;

/// <summary>A key Secret read back: either its typed content or why it cannot be used.</summary>
/// <param name="Secret">The content; null when the Secret is invalid.</param>
/// <param name="Problem">What is wrong, in words for a condition message; null when valid.</param>
public sealed record KeySecretReadResult(KeySecret? Secret, string? Problem);
