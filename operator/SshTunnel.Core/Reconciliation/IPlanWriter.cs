using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The I/O a <see cref="ReconcilePlan"/> needs, carried out by its host: the operator against
/// the API server, the tests in memory. <see cref="PlanExecutor"/> decides the order.
/// </summary>
public interface IPlanWriter
{
    /// <summary>Creates or replaces the key Secret (with the write's resourceVersion precondition).</summary>
    ValueTask<WriteOutcome> WriteSecretAsync(SecretWrite write, CancellationToken cancellationToken);

    /// <summary>Replaces the connection's status through <c>/status</c>.</summary>
    ValueTask<WriteOutcome> WriteStatusAsync(ConnectionStatus status, CancellationToken cancellationToken);

    /// <summary>Publishes one event about the connection; called only after the status that tells the same was written.</summary>
    void Emit(PlannedEvent planned);

    /// <summary>Starts the probe off the reconcile path; its result comes back through the next decision.</summary>
    void StartProbe(ProbeRequest request);
}
