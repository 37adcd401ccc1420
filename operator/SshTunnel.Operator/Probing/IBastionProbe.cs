using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// Logs in to a bastion over SSH with key 1, then key 2, and reports what the bastion said.
/// Never throws for an outcome the bastion caused (refused, timeout, denied): those are results.
/// </summary>
public interface IBastionProbe
{
    Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken);
}
