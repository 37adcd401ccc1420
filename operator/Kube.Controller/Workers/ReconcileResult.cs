namespace Kube.Controller.Workers;

/// <summary>What a reconcile asks of the queue: nothing, or another pass after a delay.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
