using Prometheus;

namespace SshTunnel.Operator.Observability;

/// <summary>The operator's Prometheus metrics, served on <c>/metrics</c> when <c>--health-port</c> is set.</summary>
public static class OperatorMetrics
{
    public static readonly Counter Reconciles = Metrics.CreateCounter(
        "sshtunnel_reconciles_total", "Reconciles by result (success, error).", "result");

    public static readonly Histogram ReconcileDuration = Metrics.CreateHistogram(
        "sshtunnel_reconcile_duration_seconds",
        "Time to reconcile one connection.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });

    public static readonly Counter Conflicts = Metrics.CreateCounter(
        "sshtunnel_write_conflicts_total", "Writes refused with 409 that led to a fresh read and a new decision.");

    public static readonly Counter Writes = Metrics.CreateCounter(
        "sshtunnel_api_writes_total", "Successful writes by object (secret, status).", "object");

    public static readonly Counter Probes = Metrics.CreateCounter(
        "sshtunnel_probes_total", "Completed bastion probes by the outcome of key 1.", "outcome");

    public static readonly Gauge ProbesRunning = Metrics.CreateGauge(
        "sshtunnel_probes_running", "Bastion probes running or waiting for a slot.");

    public static readonly Gauge Connections = Metrics.CreateGauge(
        "sshtunnel_connections", "SshTunnelConnections in the operator's cache.");
}
