using k8s.Models;
using Kube.Controller;
using SshTunnel.Api;

namespace SshTunnel.Operator.PortForwards;

/// <summary>
/// Forwarders run by the operator's own process, where no kubelet runs the Deployment's pods
/// (dev mode). The controller asks for each port forward on every reconcile and publishes the
/// answer as <c>status.localAddress</c>.
/// </summary>
public interface ILocalForwarders
{
    /// <summary>
    /// Makes the local forwarder of <paramref name="forward"/> match its spec and the connection's
    /// key Secret (none is run without one) and returns where it listens, <c>name=127.0.0.1:port</c>
    /// per forward in spec order, comma-separated; null when none runs.
    /// </summary>
    Task<string?> EnsureAsync(SshPortForward forward, V1Secret? keySecret, CancellationToken cancellationToken);

    /// <summary>Stops the forwarder of a port forward that is gone.</summary>
    Task StopAsync(ObjectKey key);
}
