using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// What one decision asks the operator to do. <see cref="PlanExecutor"/> carries it out, in
/// the one order every host follows: Secret, status, events, probe; then requeue.
/// </summary>
/// <param name="SecretWrite">The Secret write, or null for none.</param>
/// <param name="Status">The whole status to publish, or null when the current status already equals it.</param>
/// <param name="Events">The events to emit, in order.</param>
/// <param name="Probe">The probe to run (the operator records its result with <see cref="ProbeHistory.Record"/> and decides again), or null.</param>
/// <param name="RequeueAfter">When to decide again although nothing changed (periodic re-validation, probe backoff, the next scheduled rotation); null for never.</param>
public sealed record ReconcilePlan(
    SecretWrite? SecretWrite,
    ConnectionStatus? Status,
    IReadOnlyList<PlannedEvent> Events,
    ProbeRequest? Probe,
    TimeSpan? RequeueAfter)
{
    /// <summary>
    /// The key Secret is someone else's (<c>SecretConflict</c>): the host's Secret cache only sees
    /// the operator's labelled Secrets, so it reads the Secret by name at the next decisions, on a
    /// short capped backoff, to notice at once when that Secret is deleted.
    /// </summary>
    public bool ReadSecretByName { get; init; }

    /// <summary>
    /// The decision was made on a Secret known only by its <see cref="Secrets.KeySecretVerdict"/>
    /// and cannot be finished without the whole Secret: it would write the Secret (a rotation, a
    /// repair, an adoption), probe with its private keys, or status does not show its public keys.
    /// The plan holds nothing else: the host reads the Secret by name and decides again.
    /// </summary>
    public bool NeedsWholeSecret { get; init; }

    /// <summary>The plan of <see cref="NeedsWholeSecret"/>.</summary>
    internal static ReconcilePlan WholeSecretNeeded { get; } = new(null, null, [], null, null) { NeedsWholeSecret = true };

    /// <summary>
    /// Whether the plan changes nothing: no write, no status, no event, no probe. A converged
    /// resource yields an empty plan (possibly with a <see cref="RequeueAfter"/> for the next
    /// periodic validation).
    /// </summary>
    public bool IsEmpty => SecretWrite is null && Status is null && Events.Count == 0 && Probe is null;
}
