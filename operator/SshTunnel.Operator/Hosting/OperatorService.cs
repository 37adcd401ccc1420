using Kube.Controller.Election;
using Kube.Controller.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SshTunnel.Core.Keys;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.PortForwards;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Hosting;

/// <summary>Runs the <see cref="ConnectionOperator"/> for the lifetime of the host, behind the lease when electing.</summary>
public sealed class OperatorService(
    ControllerClient client,
    OperatorOptions options,
    IBastionProbe bastionProbe,
    IKeyPairSource keyPairs,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    StartupClock startupClock,
    Readiness readiness,
    OperatorMetrics metrics,
    RunningOperator runningOperator,
    IHostApplicationLifetime lifetime,
    ILocalForwarders? localForwarders = null) : BackgroundService
{
    /// <summary>Where a pod finds its own namespace.</summary>
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggerFactory.CreateLogger<OperatorService>();
        try
        {
            if (!options.LeaderElect)
            {
                metrics.LeaderChanged(options.LeaderElectionLeaseName, true);
                using var abort = new CancellationTokenSource();
                using var drainBound = stoppingToken.Register(() => abort.CancelAfter(options.ShutdownTimeout));
                await RunOperatorAsync(logger, stoppingToken, abort.Token).ConfigureAwait(false);
                return;
            }

            var election = new LeaderElection(client, options.LeaderElection(OwnNamespace()), metrics, timeProvider, logger);
            readiness.Contending();
            await election.RunAsync((drain, abort) => RunOperatorAsync(logger, drain, abort), options.ShutdownTimeout, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            readiness.Stopping();
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
        }
    }

    private static string OwnNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";

    private async Task RunOperatorAsync(ILogger logger, CancellationToken drain, CancellationToken abort)
    {
        readiness.Working();
        var connectionOperator = new ConnectionOperator(client, options, bastionProbe, keyPairs, timeProvider, loggerFactory, metrics, localForwarders);
        using var scraped = metrics.Observe(connectionOperator, timeProvider);
        using var published = runningOperator.Publish(connectionOperator.Idle);
        var running = connectionOperator.RunAsync(drain, abort);
        using var stopTrimming = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var trimming = new IdleMemoryTrimmer(timeProvider).RunAsync(stopTrimming.Token);
        try
        {
            await connectionOperator.Ready.ConfigureAwait(false);
            readiness.Synced();
            logger.LogInformation("Operator ready in {ElapsedMs} ms", (long)startupClock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Stopped before the caches synced");
        }

        try
        {
            await running.ConfigureAwait(false);
        }
        finally
        {
            readiness.Stopping();
            await stopTrimming.CancelAsync().ConfigureAwait(false);
            await trimming.ConfigureAwait(false);
        }
    }
}
