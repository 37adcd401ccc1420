using System.Text.Json.Nodes;

namespace SshTunnel.Core.PortForwards;

/// <summary>Everything one decision about an <c>SshPortForward</c> reads.</summary>
/// <param name="Resource">The port forward.</param>
/// <param name="Connection">Its connection; null when none of that name exists in the namespace.</param>
/// <param name="Deployment">The Deployment <c>&lt;name&gt;-forward</c> as the API server returns it, or null.</param>
/// <param name="Service">The Service <c>&lt;name&gt;</c> as the API server returns it, or null.</param>
/// <param name="Forwarder">How the forwarder pods are run.</param>
/// <param name="Now">The time conditions that change are stamped with.</param>
public sealed record PortForwardInput(
    PortForwardResource Resource,
    ConnectionSnapshot? Connection,
    JsonObject? Deployment,
    JsonObject? Service,
    ForwarderSettings Forwarder,
    DateTimeOffset Now)
{
    /// <summary>Dev mode only: where its in-process forwarder listens (<c>status.localAddress</c>); null in a cluster.</summary>
    public string? LocalAddress { get; init; }
}
