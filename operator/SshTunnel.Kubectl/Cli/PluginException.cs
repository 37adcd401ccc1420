namespace SshTunnel.Kubectl.Cli;

/// <summary>A refusal the user can act on: printed as <c>error: message</c>, exit code 1, no stack trace.</summary>
public sealed class PluginException(string message) : Exception(message);
