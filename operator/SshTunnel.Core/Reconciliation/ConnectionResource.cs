using SshTunnel.Core.Model;

namespace SshTunnel.Core.Reconciliation;

/// <summary>The parts of an <c>SshTunnelConnection</c> the decisions read, mapped by the operator from its cache.</summary>
/// <param name="Namespace">The resource's namespace.</param>
/// <param name="Name">The resource's name.</param>
/// <param name="Uid">The resource's uid; the key Secret's controller ownerReference must carry it.</param>
/// <param name="Generation">The resource's <c>metadata.generation</c>.</param>
/// <param name="Annotations">The resource's annotations (empty when none).</param>
/// <param name="Spec">The spec, defaults applied (port 22, validate true).</param>
/// <param name="Status">The status as last published; null when none yet.</param>
public sealed record ConnectionResource(
    string Namespace,
    string Name,
    string Uid,
    long Generation,
    IReadOnlyDictionary<string, string> Annotations,
    ConnectionSpec Spec,
    ConnectionStatus? Status)
{
    /// <summary>The comment carried by the connection's keys: <c>namespace/name</c>.</summary>
    public string KeyComment => $"{Namespace}/{Name}";
}
