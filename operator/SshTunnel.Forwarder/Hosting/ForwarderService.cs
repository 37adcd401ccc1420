using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Forwarding;
using SshTunnel.Forwarder.Observability;
using SshTunnel.Forwarder.Secrets;
using SshTunnel.Forwarder.Sessions;

namespace SshTunnel.Forwarder.Hosting;

/// <summary>
/// The forwarder as a hosted service: binds every forward's port, keeps a session to the
/// bastion, and on stop (SIGTERM) turns not ready, stops accepting, lets open connections
/// finish within <c>--drain-timeout</c>, then closes the session.
/// </summary>
public sealed class ForwarderService : IHostedService, IAsyncDisposable
{
    private const int MinPoolThreads = 256;

    private readonly ForwarderOptions options;
    private readonly ILogger logger;
    private readonly SessionSupervisor supervisor;
    private readonly List<ForwardListener> listeners;
    private readonly HealthEndpoints? health;
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;

    public ForwarderService(ForwarderOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        this.options = options;
        logger = loggerFactory.CreateLogger<ForwarderService>();
        Status = new ForwarderStatus();
        supervisor = new SessionSupervisor(
            options,
            new MountedSecretReader(options.SecretDirectory),
            new BastionLogin(options, loggerFactory.CreateLogger<BastionLogin>()),
            Status,
            loggerFactory.CreateLogger<SessionSupervisor>(),
            timeProvider);
        var listenerLogger = loggerFactory.CreateLogger<ForwardListener>();
        listeners = [.. options.Forwards.Select(forward => new ForwardListener(forward, options.ListenAddress, supervisor, Status, listenerLogger))];
        health = options.HealthPort is { } port ? new HealthEndpoints(port, Status) : null;
    }

    /// <summary>Readiness and its explanation.</summary>
    public ForwarderStatus Status { get; }

    /// <summary>The bound port of each forward, by name (the configured port, or the system's choice for 0).</summary>
    public IReadOnlyDictionary<string, int> Ports => options.Forwards.Zip(listeners).ToDictionary(pair => pair.First.Name, pair => pair.Second.Port);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Opening and closing a channel block a pool thread until the bastion answers (SSH.NET
        // has no asynchronous channel API). The pool adds threads about one per second once its
        // minimum is used up, so a burst of new connections would wait seconds: raise the minimum.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), completionPorts);
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        if (health is not null)
        {
            await health.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        running = Task.WhenAll([supervisor.RunAsync(stopping.Token), .. listeners.Select(listener => listener.RunAsync(stopping.Token))]);
        logger.LogInformation(
            "Forwarding {Forwards} through the bastion named in {SecretDirectory}",
            string.Join(", ", options.Forwards.Zip(listeners).Select(pair => $"{pair.First.Name} ({pair.Second.Port} -> {pair.First.TargetHost}:{pair.First.TargetPort})")),
            options.SecretDirectory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Status.Draining();
        logger.LogInformation("Draining: no new connections, open ones have {Timeout} to finish", options.DrainTimeout);
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(listeners.Select(listener => listener.DrainAsync(options.DrainTimeout))).ConfigureAwait(false);
        await running.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        if (health is not null)
        {
            await health.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }
}
