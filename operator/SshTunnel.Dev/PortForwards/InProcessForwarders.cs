using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using Kube.Controller;
using Microsoft.Extensions.Logging;
using SshTunnel.Api;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Hosting;
using SshTunnel.Forwarder.Secrets;
using SshTunnel.Operator.PortForwards;

namespace SshTunnel.Dev.PortForwards;

/// <summary>
/// Dev mode's stand-in for the kubelet: one in-process forwarder per SshPortForward, listening on
/// free 127.0.0.1 ports, reading the connection's key Secret from a folder kept in the kubelet's
/// layout (a rotation swaps it as in a pod). A changed forward list restarts the forwarder on new
/// ports; a deleted port forward, or the end of dev mode, stops it.
/// </summary>
public sealed class InProcessForwarders(ILoggerFactory loggerFactory, TimeProvider timeProvider) : ILocalForwarders, IAsyncDisposable
{
    private readonly ConcurrentDictionary<ObjectKey, LocalForwarder> running = new();
    private readonly ILogger logger = loggerFactory.CreateLogger<InProcessForwarders>();

    /// <inheritdoc/>
    public async Task<string?> EnsureAsync(SshPortForward forward, V1Secret? keySecret, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(forward);
        var forwards = forward.Spec.Forwards.Select(port => new ForwardSpec(port.Name, 0, port.TargetHost, port.TargetPort)).ToList();
        running.TryGetValue(key, out var current);
        if (keySecret?.Data is not { } data || forwards.Count == 0)
        {
            await StopAsync(key).ConfigureAwait(false);
            return null;
        }

        if (current is not null && current.Forwards.SequenceEqual(forwards))
        {
            current.Update(keySecret.Metadata.ResourceVersion, data);
            return current.Address;
        }

        await StopAsync(key).ConfigureAwait(false);
        var folder = new KubeletSecretFolder(timeProvider);
        folder.Write(data.AsReadOnly());
        var service = new ForwarderService(
            new ForwarderOptions
            {
                SecretDirectory = folder.Path,
                Forwards = forwards,
                ListenAddress = IPAddress.Loopback,
                DrainTimeout = TimeSpan.FromSeconds(1),
            },
            loggerFactory,
            timeProvider);
        await service.StartAsync(cancellationToken).ConfigureAwait(false);
        var started = new LocalForwarder(forwards, service, folder, keySecret.Metadata.ResourceVersion);
        running[key] = started;
        logger.LogInformation("SshPortForward {PortForward} forwards {Address}", key, started.Address);
        return started.Address;
    }

    /// <inheritdoc/>
    public async Task StopAsync(ObjectKey key)
    {
        if (running.TryRemove(key, out var stopped))
        {
            await stopped.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("SshPortForward {PortForward}: its forwarder stopped", key);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in running.Keys.ToList())
        {
            await StopAsync(key).ConfigureAwait(false);
        }
    }
}
