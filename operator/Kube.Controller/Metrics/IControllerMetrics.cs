namespace Kube.Controller.Metrics;

/// <summary>
/// What the controller plumbing reports as it works: the owner of the process decides how to
/// export it (Prometheus, a test's counters, nothing). Implementations must be thread-safe.
/// </summary>
public interface IControllerMetrics
{
    /// <summary>A key entered the work queue (an add of a key already waiting is not reported).</summary>
    void QueueAdded();

    /// <summary>A key was put back with backoff after a failed reconcile.</summary>
    void QueueRetried();

    /// <summary>A key was taken from the queue after waiting <paramref name="duration"/> in it (client-go's queue latency).</summary>
    void QueueWaited(TimeSpan duration);

    /// <summary>A key taken from the queue was done with after <paramref name="duration"/> (client-go's work duration).</summary>
    void WorkFinished(TimeSpan duration);

    /// <summary>The workers started: at most <paramref name="maxConcurrent"/> reconciles at once.</summary>
    void WorkersStarted(int maxConcurrent);

    /// <summary>Now <paramref name="active"/> workers are reconciling.</summary>
    void WorkersActive(int active);

    /// <summary>One reconcile ended, successfully or with an error, after <paramref name="duration"/>.</summary>
    void ReconcileFinished(bool succeeded, TimeSpan duration);
}
