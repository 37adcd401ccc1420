namespace Kube.Controller.Metrics;

/// <summary>Reports nowhere: for hosts and tests that do not export metrics.</summary>
public sealed class NoControllerMetrics : IControllerMetrics, ILeaderMetrics
{
    public static readonly NoControllerMetrics Instance = new();

    private NoControllerMetrics()
    {
    }

    public void QueueAdded()
    {
    }

    public void QueueRetried()
    {
    }

    public void QueueWaited(TimeSpan duration)
    {
    }

    public void WorkFinished(TimeSpan duration)
    {
    }

    public void WorkersStarted(int maxConcurrent)
    {
    }

    public void WorkersActive(int active)
    {
    }

    public void ReconcileFinished(bool succeeded, TimeSpan duration)
    {
    }

    public void LeaderChanged(string leaseName, bool leading)
    {
    }
}
