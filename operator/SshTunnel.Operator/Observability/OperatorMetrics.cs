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
        var queue = factory.WithLabels(new Dictionary<string, string> { ["name"] = ControllerName });

        Reconciles = controller.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller, by result.", ["result"]);
        ReconcileErrors = controller.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.");
        ReconcileDuration = controller.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        WorkQueueDepth = queue.CreateGauge("workqueue_depth", "Current depth of the work queue: keys waiting to be reconciled.");
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
        OldestKeyAge = factory.CreateGauge(
            "sshtunnel_key_age_max_seconds", "Age of the oldest key pairs: the longest time since a connection's keys were generated or last rotated.");
        KeyAgeSum = factory.CreateGauge(
            "sshtunnel_key_age_sum_seconds", "Sum over connections of the time since their keys were generated or last rotated; divide by sshtunnel_key_pairs for the mean.");
        KeyPairs = factory.CreateGauge("sshtunnel_key_pairs", "Connections whose key Secret is in the cache.");
        Probes = factory.CreateCounter(
            "sshtunnel_validations_total",
            "Validation logins to bastions (new spec or periodic revalidation) by outcome: Authenticated, AuthenticationFailed, ConnectionRefused, Timeout, NameResolutionFailed, HostKeyMismatch, ...",
            "reason");
        ProbesRunning = factory.CreateGauge("sshtunnel_validations_running", "Validation logins running or waiting for a slot.");
        Connections = factory.CreateGauge(
            "sshtunnel_connections", "SshTunnelConnections in the operator's cache by Ready condition status (True, False, Unknown: none yet).", "ready");
        Conflicts = factory.CreateCounter(
            "sshtunnel_write_conflicts_total", "Writes refused with 409 that led to a fresh read and a new decision.");
        Writes = factory.CreateCounter("sshtunnel_api_writes_total", "Successful writes by object (secret, status).", "object");

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

    public Counter WorkQueueAdds { get; }

    public Counter WorkQueueRetries { get; }

    public Gauge Leader { get; }

    public Counter KeyRotations { get; }

    public Gauge OldestKeyAge { get; }

    public Gauge KeyAgeSum { get; }

    public Gauge KeyPairs { get; }

    /// <summary><c>sshtunnel_validations_total{reason}</c>: every finished SSH login to a bastion, by the outcome of key 1.</summary>
    public Counter Probes { get; }

    public Gauge ProbesRunning { get; }

    /// <summary><c>sshtunnel_connections{ready}</c>: cached connections by the status of their Ready condition.</summary>
    public Gauge Connections { get; }

    public Counter Conflicts { get; }

    public Counter Writes { get; }

    public void QueueAdded() => WorkQueueAdds.Inc();

    public void QueueRetried() => WorkQueueRetries.Inc();

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
        var oldest = TimeSpan.Zero;
        var sum = TimeSpan.Zero;
        var pairs = 0;
        if (observed is var (state, clock))
        {
            var now = clock.GetUtcNow();
            WorkQueueDepth.Set(state.QueueDepth);
            foreach (var ready in state.ReadyStatuses())
            {
                var key = ready is "True" or "False" ? ready : "Unknown";
                counts[key]++;
            }

            foreach (var time in state.KeyTimes())
            {
                var age = now - time;
                age = age > TimeSpan.Zero ? age : TimeSpan.Zero;
                oldest = age > oldest ? age : oldest;
                sum += age;
                pairs++;
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

        OldestKeyAge.Set(oldest.TotalSeconds);
        KeyAgeSum.Set(sum.TotalSeconds);
        KeyPairs.Set(pairs);
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
