using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>One try of a probe (both keys, every address once); the retry policy wraps it.</summary>
internal interface IProbeAttempt
{
    /// <summary>
    /// Runs one try. When <paramref name="deadline"/> fires the login under way ends as a
    /// timeout and the logins already done keep their answers; only
    /// <paramref name="cancellationToken"/> (the caller's) throws.
    /// </summary>
    Task<ProbeResult> RunAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken deadline, CancellationToken cancellationToken);
}
