using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>Counts the attempts the retry policy makes, around the real SSH attempt.</summary>
internal sealed class CountingAttempt(IProbeAttempt inner) : IProbeAttempt
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public Task<ProbeResult> RunAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken deadline, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref count);
        return inner.RunAsync(request, key1, key2, deadline, cancellationToken);
    }
}
