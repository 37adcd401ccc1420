using Prometheus;

namespace SshTunnel.Operator.Observability;

/// <summary>
/// The operator's Prometheus metrics, served on <c>/metrics</c> when <c>--health-port</c> is set:
/// controller-runtime's reconcile and work queue families (same names and labels, so existing
/// dashboards work), leader status, and the domain's <c>sshtunnel_*</c> families. Gauges about
/// the connections are computed from the watch caches at scrape time. No metric carries a key,
/// and none has a label per connection: 10,000 connections would be 10,000 series per family.
/// </summary>
public static class OperatorMetrics
{
    /// <summary>The controller's name in the <c>controller</c> and <c>name</c> labels.</summary>
    public const string ControllerName = "sshtunnelconnection";

    private static readonly IMetricFactory Controller =
        Metrics.WithLabels(new Dictionary<string, string> { ["controller"] = ControllerName });

    private static readonly IMetricFactory Queue =
        Metrics.WithLabels(new Dictionary<string, string> { ["name"] = ControllerName });

    private static readonly Lock SourceGate = new();
    private static (IOperatorState State, TimeProvider Clock)? source;

    /// <summary><c>controller_runtime_reconcile_total{controller,result}</c>; result is success or error.</summary>
    public static readonly Counter Reconciles = Controller.CreateCounter(
        "controller_runtime_reconcile_total", "Total number of reconciliations per controller, by result.", ["result"]);

    /// <summary>Follows <see cref="Reconciles"/> with result error, brought up to date at every scrape.</summary>
    public static readonly Counter ReconcileErrors = Controller.CreateCounter(
        "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.");

    public static readonly Histogram ReconcileDuration = Controller.CreateHistogram(
        "controller_runtime_reconcile_time_seconds",
        "Length of time per reconciliation per controller.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });

    public static readonly Gauge WorkQueueDepth = Queue.CreateGauge(
        "workqueue_depth", "Current depth of the work queue: keys waiting to be reconciled.");

    public static readonly Counter WorkQueueAdds = Queue.CreateCounter(
        "workqueue_adds_total", "Total number of keys added to the work queue (an add of a key already waiting is not counted).");

    public static readonly Counter WorkQueueRetries = Queue.CreateCounter(
        "workqueue_retries_total", "Total number of keys put back with backoff after a failed reconcile.");

    public static readonly Gauge Leader = Metrics.CreateGauge(
        "leader_election_master_status",
        "1 while this process holds the lease (always 1 without --leader-elect), else 0.",
        "name");

    public static readonly Counter KeyRotations = Metrics.CreateCounter(
        "sshtunnel_key_rotations_total", "Key rotations carried out (pair 2 promoted to pair 1, a new pair 2), counted at the Secret write.");

    public static readonly Gauge OldestKeyAge = Metrics.CreateGauge(
        "sshtunnel_key_age_max_seconds", "Age of the oldest key pairs: the longest time since a connection's keys were generated or last rotated.");

    public static readonly Gauge KeyAgeSum = Metrics.CreateGauge(
        "sshtunnel_key_age_sum_seconds", "Sum over connections of the time since their keys were generated or last rotated; divide by sshtunnel_key_pairs for the mean.");

    public static readonly Gauge KeyPairs = Metrics.CreateGauge(
        "sshtunnel_key_pairs", "Connections whose key Secret is in the cache.");

    /// <summary><c>sshtunnel_validations_total{reason}</c>: every finished SSH login to a bastion, by the outcome of key 1.</summary>
    public static readonly Counter Probes = Metrics.CreateCounter(
        "sshtunnel_validations_total",
        "Validation logins to bastions (new spec or periodic revalidation) by outcome: Authenticated, AuthenticationFailed, ConnectionRefused, Timeout, NameResolutionFailed, HostKeyMismatch, ...",
        "reason");

    public static readonly Gauge ProbesRunning = Metrics.CreateGauge(
        "sshtunnel_validations_running", "Validation logins running or waiting for a slot.");

    /// <summary><c>sshtunnel_connections{ready}</c>: cached connections by the status of their Ready condition.</summary>
    public static readonly Gauge Connections = Metrics.CreateGauge(
        "sshtunnel_connections", "SshTunnelConnections in the operator's cache by Ready condition status (True, False, Unknown: none yet).", "ready");

    public static readonly Counter Conflicts = Metrics.CreateCounter(
        "sshtunnel_write_conflicts_total", "Writes refused with 409 that led to a fresh read and a new decision.");

    public static readonly Counter Writes = Metrics.CreateCounter(
        "sshtunnel_api_writes_total", "Successful writes by object (secret, status).", "object");

    private static readonly string[] ReadyValues = ["True", "False", "Unknown"];

    static OperatorMetrics()
    {
        foreach (var ready in ReadyValues)
        {
            Connections.WithLabels(ready).Set(0);
        }

        Reconciles.WithLabels("success");
        Reconciles.WithLabels("error");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(Collect);
    }

    public static void SetLeader(string leaseName, bool leading) => Leader.WithLabels(leaseName).Set(leading ? 1 : 0);

    /// <summary>Makes the scrape-time gauges read <paramref name="state"/> until the result is disposed.</summary>
    public static IDisposable Observe(IOperatorState state, TimeProvider timeProvider)
    {
        lock (SourceGate)
        {
            source = (state, timeProvider);
        }

        return new Observation(state);
    }

    private static void Collect()
    {
        ReconcileErrors.IncTo(Reconciles.WithLabels("error").Value);
        (IOperatorState State, TimeProvider Clock)? observed;
        lock (SourceGate)
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
    private sealed class Observation(IOperatorState state) : IDisposable
    {
        public void Dispose()
        {
            lock (SourceGate)
            {
                if (ReferenceEquals(source?.State, state))
                {
                    source = null;
                }
            }
        }
    }
}
