using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>One try of a probe (both keys, every address once); the retry policy wraps it.</summary>
internal interface IProbeAttempt
{
    Task<ProbeResult> RunAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken cancellationToken);
}
