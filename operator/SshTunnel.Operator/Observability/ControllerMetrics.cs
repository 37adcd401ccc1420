using Kube.Controller.Metrics;
using Prometheus;

namespace SshTunnel.Operator.Observability;

/// <summary>
/// controller-runtime's reconcile and work queue families for one controller: the same names,
/// labels and buckets (<c>controller</c> and the queue's <c>name</c> are the controller's name),
/// so its dashboards work unchanged. Each controller of the process has one, in the same families.
/// </summary>
public sealed class ControllerMetrics : IControllerMetrics
{
    /// <summary>controller-runtime's buckets of <c>controller_runtime_reconcile_time_seconds</c>.</summary>
    private static readonly double[] ReconcileBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    /// <summary>client-go's work queue buckets: 10 ns to 1,000 s, ×10.</summary>
    private static readonly double[] QueueBuckets = Histogram.ExponentialBuckets(10e-9, 10, 12);

    private readonly Counter reconciles;
    private readonly Counter reconcileErrors;
    private readonly Histogram reconcileDuration;
    private readonly Gauge maxConcurrentReconciles;
    private readonly Gauge activeWorkers;
    private readonly Gauge depth;
    private readonly Counter adds;
    private readonly Counter retries;
    private readonly Histogram queueDuration;
    private readonly Histogram workDuration;
    private readonly Gauge unfinishedWork;
    private readonly Gauge longestRunningProcessor;

    /// <param name="factory">The registry's factory, without static labels.</param>
    /// <param name="controllerName">The value of the <c>controller</c> and <c>name</c> labels.</param>
    public ControllerMetrics(IMetricFactory factory, string controllerName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var controller = factory.WithLabels(new Dictionary<string, string> { ["controller"] = controllerName });

        // controller-runtime's work queue families carry both name and controller (its provider sets both to the controller's name).
        var queue = factory.WithLabels(new Dictionary<string, string> { ["name"] = controllerName, ["controller"] = controllerName });
        reconciles = controller.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller, by result.", ["result"]);
        reconcileErrors = controller.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.");
        reconcileDuration = controller.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller.",
            new HistogramConfiguration { Buckets = ReconcileBuckets });
        maxConcurrentReconciles = controller.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller.");
        activeWorkers = controller.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller.");
        depth = queue.WithLabels(new Dictionary<string, string> { ["priority"] = "" }).CreateGauge(
            "workqueue_depth", "Current depth of the work queue by priority: keys waiting to be reconciled (no priorities here).");
        queueDuration = queue.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested.",
            new HistogramConfiguration { Buckets = QueueBuckets });
        workDuration = queue.CreateHistogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes.",
            new HistogramConfiguration { Buckets = QueueBuckets });
        unfinishedWork = queue.CreateGauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.");
        longestRunningProcessor = queue.CreateGauge(
            "workqueue_longest_running_processor_seconds", "How many seconds has the longest running processor for workqueue been running.");
        adds = queue.CreateCounter(
            "workqueue_adds_total", "Total number of keys added to the work queue (an add of a key already waiting is not counted).");
        retries = queue.CreateCounter(
            "workqueue_retries_total", "Total number of keys put back with backoff after a failed reconcile.");

        // Created up front, so they are exported (at zero) from the first scrape on.
        reconciles.WithLabels("success");
        reconciles.WithLabels("error");
    }

    public void QueueAdded() => adds.Inc();

    public void QueueRetried() => retries.Inc();

    public void QueueWaited(TimeSpan duration) => queueDuration.Observe(duration.TotalSeconds);

    public void WorkFinished(TimeSpan duration) => workDuration.Observe(duration.TotalSeconds);

    public void WorkersStarted(int maxConcurrent) => maxConcurrentReconciles.Set(maxConcurrent);

    public void WorkersActive(int active) => activeWorkers.Set(active);

    public void ReconcileFinished(bool succeeded, TimeSpan duration)
    {
        reconciles.WithLabels(succeeded ? "success" : "error").Inc();
        reconcileDuration.Observe(duration.TotalSeconds);
    }

    /// <summary>
    /// Brings the scrape-time families up to date: the error count from the reconcile count, and
    /// the queue's state (zeros when <paramref name="queue"/> is null: not working, a standby).
    /// </summary>
    internal void Collect(QueueState? queue)
    {
        reconcileErrors.IncTo(reconciles.WithLabels("error").Value);
        depth.Set(queue?.Depth ?? 0);
        unfinishedWork.Set(queue?.Unfinished.TotalSeconds ?? 0);
        longestRunningProcessor.Set(queue?.Longest.TotalSeconds ?? 0);
    }
}
