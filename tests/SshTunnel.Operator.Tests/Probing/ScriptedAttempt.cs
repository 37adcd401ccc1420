using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>An attempt that answers with the given outcomes in turn (the last one repeats), or hangs when told to.</summary>
internal sealed class ScriptedAttempt(TimeProvider timeProvider, params ProbeOutcome?[] outcomes) : IProbeAttempt
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public async Task<ProbeResult> RunAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref count);
        var outcome = outcomes[Math.Min(attempt, outcomes.Length) - 1];
        if (outcome is not { } answer)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline, cancellationToken);
            await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, either.Token);
            throw new InvalidOperationException("An infinite delay ended without cancellation.");
        }

        return new ProbeResult(
            request.Connection,
            new KeyProbe(answer, $"attempt {attempt}: {answer}"),
            null,
            null,
            null,
            timeProvider.GetUtcNow());
    }

    public static ProbeRequest Request(string privateKey) =>
        new(new ConnectionParameters("bastion.example.com", 22, "materialize"), privateKey, null, null);
}
