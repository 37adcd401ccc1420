namespace SshTunnel.Forwarder.Sessions;

/// <summary>A login to the bastion that failed, with a message that says what to fix and a metric reason.</summary>
public sealed class BastionLoginException(string message, string reason, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The <c>reason</c> label: <c>authentication</c>, <c>host_key</c>, <c>key_file</c> or <c>connection</c>.</summary>
    public string Reason { get; } = reason;
}
