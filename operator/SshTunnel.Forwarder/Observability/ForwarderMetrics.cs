using Prometheus;

namespace SshTunnel.Forwarder.Observability;

/// <summary>
/// The forwarder's Prometheus metrics on <c>/metrics</c>. Labels are bounded: the forward's
/// name (at most 32), the direction, the key number; never a connection, address or key.
/// </summary>
public static class ForwarderMetrics
{
    public static readonly Gauge Ready = Metrics.CreateGauge(
        "sshtunnel_forwarder_ready", "1 while a session to the bastion is authenticated and serves new connections.");

    public static readonly Gauge Sessions = Metrics.CreateGauge(
        "sshtunnel_forwarder_sessions", "Open sessions to the bastion: the current one and older ones still carrying connections.");

    public static readonly Counter SessionsEstablished = Metrics.CreateCounter(
        "sshtunnel_forwarder_sessions_established_total", "Sessions authenticated, by the key that authenticated (1 or 2).", "key");

    public static readonly Gauge AuthenticatedKey = Metrics.CreateGauge(
        "sshtunnel_forwarder_authenticated_key", "The key (1 or 2) the current session authenticated with; 0 without a session.");

    public static readonly Counter LoginFailures = Metrics.CreateCounter(
        "sshtunnel_forwarder_login_failures_total", "Logins to the bastion that failed, by reason.", "reason");

    public static readonly Counter Reconnects = Metrics.CreateCounter(
        "sshtunnel_forwarder_reconnects_total", "Sessions that dropped and were replaced.");

    public static readonly Gauge HostKeyVerified = Metrics.CreateGauge(
        "sshtunnel_forwarder_host_key_verified", "1 when the current session's host key matched known_hosts, 0 when accepted unverified (no known_hosts in the Secret).");

    public static readonly Histogram SetupSeconds = Metrics.CreateHistogram(
        "sshtunnel_forwarder_session_setup_seconds", "Time from the start of a login to an authenticated session with its ports.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });

    public static readonly Gauge ActiveChannels = Metrics.CreateGauge(
        "sshtunnel_forwarder_active_channels", "Forwarded connections open now, by forward.", "forward");

    public static readonly Counter Connections = Metrics.CreateCounter(
        "sshtunnel_forwarder_connections_total", "Connections accepted, by forward and result (forwarded, no_session, failed).", "forward", "result");

    public static readonly Counter Bytes = Metrics.CreateCounter(
        "sshtunnel_forwarder_bytes_total", "Bytes forwarded, by forward and direction (to_target, from_target).", "forward", "direction");

    public static readonly Counter SecretUpdates = Metrics.CreateCounter(
        "sshtunnel_forwarder_secret_updates_total", "Updates of the mounted Secret noticed.");
}
