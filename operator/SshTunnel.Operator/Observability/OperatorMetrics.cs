using Kube.Controller.Metrics;
using Prometheus;

namespace SshTunnel.Operator.Observability;

/// <summary>
/// The operator's Prometheus metrics, served on <c>/metrics</c> when <c>--health-port</c> is set: controller-runtime's reconcile and work queue families (same
/// names and labels, so existing dashboards work), leader status, and the domain's
/// <c>sshtunnel_*</c> families. Gauges about the connections are computed from the watch
/// caches at scrape time. No metric carries a key, and none has a label per connection: 10,000
/// connections would be 10,000 series per family. One instance per registry, passed to what
/// reports: the process uses prometheus-net's default registry (which adds the process and .NET
/// runtime families), tests a registry each.
/// </summary>
public sealed class OperatorMetrics : IControllerMetrics
{
    /// <summary>The controller's name in the <c>controller</c> and <c>name</c> labels.</summary>
    public const string ControllerName = "sshtunnelconnection";

    private static readonly string[] ReadyValues = ["True", "False", "Unknown"];

    /// <summary>controller-runtime's buckets of <c>controller_runtime_reconcile_time_seconds</c>.</summary>
    private static readonly double[] ReconcileBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    private readonly Lock sourceGate = new();
    private (IOperatorState State, TimeProvider Clock)? source;

    /// <summary>Metrics in a registry of their own, which nothing else reports into.</summary>
    public OperatorMetrics()
        : this(Metrics.NewCustomRegistry())
    {
    }

    /// <summary>Metrics in <paramref name="registry"/>; create one instance per registry.</summary>
    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(Registry);
        var controller = factory.WithLabels(new Dictionary<string, string> { ["controller"] = ControllerName });
        // controller-runtime's work queue families carry both name and controller (its provider sets both to the controller's name).
        var queue = factory.WithLabels(new Dictionary<string, string> { ["name"] = ControllerName, ["controller"] = ControllerName });

        Reconciles = controller.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller, by result.", ["result"]);
        ReconcileErrors = controller.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.");
        ReconcileDuration = controller.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller.",
            new HistogramConfiguration { Buckets = ReconcileBuckets });
        MaxConcurrentReconciles = controller.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller.");
        ActiveWorkers = controller.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller.");
        WorkQueueDepth = queue.WithLabels(new Dictionary<string, string> { ["priority"] = "" }).CreateGauge(
            "workqueue_depth", "Current depth of the work queue by priority: keys waiting to be reconciled (no priorities here).");
        QueueDuration = queue.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(10e-9, 10, 12) });
        WorkDuration = queue.CreateHistogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(10e-9, 10, 12) });
        UnfinishedWork = queue.CreateGauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.");
        LongestRunningProcessor = queue.CreateGauge(
            "workqueue_longest_running_processor_seconds", "How many seconds has the longest running processor for workqueue been running.");
        RestClientRequests = factory.CreateCounter(
            "rest_client_requests_total", "Number of HTTP requests, partitioned by status code, method, and host.", "code", "method", "host");
        WorkQueueAdds = queue.CreateCounter(
            "workqueue_adds_total", "Total number of keys added to the work queue (an add of a key already waiting is not counted).");
        WorkQueueRetries = queue.CreateCounter(
            "workqueue_retries_total", "Total number of keys put back with backoff after a failed reconcile.");
        Leader = factory.CreateGauge(
            "leader_election_master_status",
            "1 while this process holds the lease (always 1 without --leader-elect), else 0.",
            "name");
        KeyRotations = factory.CreateCounter(
            "sshtunnel_key_rotations_total",
            "Key rotations carried out (pair 2 promoted to pair 1, a new pair 2), counted from the rotation count of each Secret written.");
        OldestKeyTimestamp = factory.CreateGauge(
            "sshtunnel_oldest_keys_timestamp_seconds",
            "Unix time the oldest key pairs in use were generated or last rotated (0 without any); alert on time() minus it.");
        KeyMeanTimestamp = factory.CreateGauge(
            "sshtunnel_keys_mean_timestamp_seconds",
            "Mean over key Secrets of the Unix time their keys were generated or last rotated (0 without any); time() minus it is the mean key age.");
        KeySecrets = factory.CreateGauge("sshtunnel_key_secrets", "Key Secrets (two key pairs each) in the operator's cache.");
        Probes = factory.CreateCounter(
            "sshtunnel_validations_total",
            "Validation logins to bastions (new spec or periodic revalidation) by outcome: Authenticated, AuthenticationFailed, ConnectionRefused, Timeout, NameResolutionFailed, HostKeyMismatch, ...",
            "reason");
        ProbesRunning = factory.CreateGauge("sshtunnel_validations_running", "Validation logins running or waiting for a slot.");
        Connections = factory.CreateGauge(
            "sshtunnel_connections", "SshTunnelConnections in the operator's cache by Ready condition status (True, False, Unknown: none yet).", "ready");
        Conflicts = factory.CreateCounter(
            "sshtunnel_write_conflicts_total", "Writes refused with 409 that led to a fresh read and a new decision.");
        Writes = factory.CreateCounter("sshtunnel_api_writes_total", "Successful writes by object (secret, status, deployment, service, portforward-status).", "object");

        // Created up front, so they are exported (at zero) from the first scrape on.
        foreach (var ready in ReadyValues)
        {
            Connections.WithLabels(ready).Set(0);
        }

        Reconciles.WithLabels("success");
        Reconciles.WithLabels("error");
        Registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary><c>controller_runtime_reconcile_total{controller,result}</c>; result is success or error.</summary>
    public Counter Reconciles { get; }

    /// <summary>Follows <see cref="Reconciles"/> with result error, brought up to date at every scrape.</summary>
    public Counter ReconcileErrors { get; }

    public Histogram ReconcileDuration { get; }

    public Gauge WorkQueueDepth { get; }

    public Gauge MaxConcurrentReconciles { get; }

    public Gauge ActiveWorkers { get; }

    public Histogram QueueDuration { get; }

    public Histogram WorkDuration { get; }

    public Gauge UnfinishedWork { get; }

    public Gauge LongestRunningProcessor { get; }

    /// <summary><c>rest_client_requests_total{code,method,host}</c>: requests to the API server, as client-go counts them.</summary>
    public Counter RestClientRequests { get; }

    public Counter WorkQueueAdds { get; }

    public Counter WorkQueueRetries { get; }

    public Gauge Leader { get; }

    public Counter KeyRotations { get; }

    public Gauge OldestKeyTimestamp { get; }

    public Gauge KeyMeanTimestamp { get; }

    public Gauge KeySecrets { get; }

    /// <summary><c>sshtunnel_validations_total{reason}</c>: every finished SSH login to a bastion, by the outcome of key 1.</summary>
    public Counter Probes { get; }

    public Gauge ProbesRunning { get; }

    /// <summary><c>sshtunnel_connections{ready}</c>: cached connections by the status of their Ready condition.</summary>
    public Gauge Connections { get; }

    public Counter Conflicts { get; }

    public Counter Writes { get; }

    public void QueueAdded() => WorkQueueAdds.Inc();

    public void QueueRetried() => WorkQueueRetries.Inc();

    public void QueueWaited(TimeSpan duration) => QueueDuration.Observe(duration.TotalSeconds);

    public void WorkFinished(TimeSpan duration) => WorkDuration.Observe(duration.TotalSeconds);

    public void WorkersStarted(int maxConcurrent) => MaxConcurrentReconciles.Set(maxConcurrent);

    public void WorkersActive(int active) => ActiveWorkers.Set(active);

    public void ReconcileFinished(bool succeeded, TimeSpan duration)
    {
        Reconciles.WithLabels(succeeded ? "success" : "error").Inc();
        ReconcileDuration.Observe(duration.TotalSeconds);
    }

    public void LeaderChanged(string leaseName, bool leading) => Leader.WithLabels(leaseName).Set(leading ? 1 : 0);

    /// <summary>Makes the scrape-time gauges read <paramref name="state"/> until the result is disposed.</summary>
    public IDisposable Observe(IOperatorState state, TimeProvider timeProvider)
    {
        lock (sourceGate)
        {
            source = (state, timeProvider);
        }

        return new Observation(this, state);
    }

    private void Collect()
    {
        ReconcileErrors.IncTo(Reconciles.WithLabels("error").Value);
        (IOperatorState State, TimeProvider Clock)? observed;
        lock (sourceGate)
        {
            observed = source;
        }

        var counts = ReadyValues.ToDictionary(ready => ready, _ => 0);
        double? oldest = null;
        var sum = 0.0;
        var secrets = 0;
        var (unfinished, longest) = (TimeSpan.Zero, TimeSpan.Zero);
        if (observed is var (state, _))
        {
            WorkQueueDepth.Set(state.QueueDepth);
            (unfinished, longest) = state.InFlight();
            foreach (var ready in state.ReadyStatuses())
            {
                var key = ready is "True" or "False" ? ready : "Unknown";
                counts[key]++;
            }

            foreach (var time in state.KeyTimes())
            {
                var seconds = time.ToUnixTimeMilliseconds() / 1000.0;
                oldest = oldest is { } earliest && earliest <= seconds ? earliest : seconds;
                sum += seconds;
                secrets++;
            }
        }
        else
        {
            WorkQueueDepth.Set(0);
        }

        foreach (var (ready, count) in counts)
        {
            Connections.WithLabels(ready).Set(count);
        }

        UnfinishedWork.Set(unfinished.TotalSeconds);
        LongestRunningProcessor.Set(longest.TotalSeconds);
        OldestKeyTimestamp.Set(oldest ?? 0);
        KeyMeanTimestamp.Set(secrets > 0 ? sum / secrets : 0);
        KeySecrets.Set(secrets);
    }

    /// <summary>Stops the gauges reading a state that is going away, unless a newer one took its place.</summary>
    private sealed class Observation(OperatorMetrics metrics, IOperatorState state) : IDisposable
    {
        public void Dispose()
        {
            lock (metrics.sourceGate)
            {
                if (ReferenceEquals(metrics.source?.State, state))
                {
                    metrics.source = null;
                }
            }
        }
    }
}
