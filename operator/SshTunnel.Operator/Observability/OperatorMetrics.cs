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
public sealed class OperatorMetrics : ILeaderMetrics
{
    /// <summary>The connection controller's name in the <c>controller</c> and <c>name</c> labels.</summary>
    public const string ControllerName = "sshtunnelconnection";

    /// <summary>The port forward controller's name in the <c>controller</c> and <c>name</c> labels.</summary>
    public const string PortForwardControllerName = "sshportforward";

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
        ConnectionController = new ControllerMetrics(factory, ControllerName);
        PortForwardController = new ControllerMetrics(factory, PortForwardControllerName);
        RestClientRequests = factory.CreateCounter(
            "rest_client_requests_total", "Number of HTTP requests, partitioned by status code, method, and host.", "code", "method", "host");
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
        EventsDropped = factory.CreateCounter(
            "sshtunnel_events_dropped_total", "Kubernetes Events dropped because the event queue was full (events are best effort; status says the same).");
        PortForwardsServed = factory.CreateGauge(
            "sshtunnel_portforward_crd_installed",
            "1 once the API server serves SshPortForward (its CRD is installed) and its controller runs; 0 while it does not (port forwards wait for it) and on a standby.");

        // Created up front, so they are exported (at zero) from the first scrape on.
        foreach (var ready in ReadyValues)
        {
            Connections.WithLabels(ready).Set(0);
        }

        Registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The connection controller's reconcile and work queue families.</summary>
    public ControllerMetrics ConnectionController { get; }

    /// <summary>The port forward controller's reconcile and work queue families.</summary>
    public ControllerMetrics PortForwardController { get; }

    /// <summary><c>rest_client_requests_total{code,method,host}</c>: requests to the API server, as client-go counts them.</summary>
    public Counter RestClientRequests { get; }

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

    /// <summary><c>sshtunnel_events_dropped_total</c>: Events recorded while the event queue was full, brought up to date at every scrape.</summary>
    public Counter EventsDropped { get; }

    /// <summary><c>sshtunnel_portforward_crd_installed</c>: whether the SshPortForward controller runs, brought up to date at every scrape.</summary>
    public Gauge PortForwardsServed { get; }

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
        (IOperatorState State, TimeProvider Clock)? observed;
        lock (sourceGate)
        {
            observed = source;
        }

        var counts = ReadyValues.ToDictionary(ready => ready, _ => 0);
        double? oldest = null;
        var sum = 0.0;
        var secrets = 0;
        var state = observed?.State;
        ConnectionController.Collect(state?.ConnectionQueue);
        PortForwardController.Collect(state?.PortForwardQueue);
        PortForwardsServed.Set(state?.PortForwardsServed == true ? 1 : 0);
        if (state is not null)
        {
            EventsDropped.IncTo(state.EventsDropped);
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

        foreach (var (ready, count) in counts)
        {
            Connections.WithLabels(ready).Set(count);
        }

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
