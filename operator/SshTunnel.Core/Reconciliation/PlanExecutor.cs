namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The one order in which a <see cref="ReconcilePlan"/> is carried out, by the operator and by
/// the tests alike: the Secret write (the only write that changes state), then the status, then
/// the events, then the probe.
/// <list type="bullet">
/// <item>A conflict on either write stops the plan: nothing after it happens, the host re-reads and decides again.</item>
/// <item>Events are emitted only once the status that tells the same is written. They are derived
/// from the difference between the published status and the new one, so a status write that
/// fails (409, 5xx) leaves the difference in place and the next decision plans the same events
/// again: emitting them before the status would publish them twice.</item>
/// <item>Counters follow the writes, not the plan: a writer counts a rotation when the Secret
/// write that carries it (<see cref="SecretWrite.RotationsAdded"/>) succeeds.</item>
/// </list>
/// </summary>
public static class PlanExecutor
{
    /// <summary>
    /// Carries out <paramref name="plan"/>; returns <see cref="WriteOutcome.Written"/> when all of
    /// it was, else the outcome of the write that stopped it. Failures other than a conflict or a
    /// gone connection are thrown by the writer and end the plan where they happen.
    /// </summary>
    public static async ValueTask<WriteOutcome> ExecuteAsync(ReconcilePlan plan, IPlanWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(writer);
        if (plan.SecretWrite is { } write)
        {
            var outcome = await writer.WriteSecretAsync(write, cancellationToken).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome;
            }
        }

        if (plan.Status is { } status)
        {
            var outcome = await writer.WriteStatusAsync(status, cancellationToken).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome;
            }
        }

        foreach (var planned in plan.Events)
        {
            writer.Emit(planned);
        }

        if (plan.Probe is { } probe)
        {
            writer.StartProbe(probe);
        }

        return WriteOutcome.Written;
    }
}
