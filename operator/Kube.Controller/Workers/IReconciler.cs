namespace Kube.Controller.Workers;

/// <summary>Brings one object towards its desired state. Throwing means: retry with backoff.</summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
