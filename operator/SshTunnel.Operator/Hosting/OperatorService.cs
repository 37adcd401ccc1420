using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SshTunnel.Core.Keys;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Hosting;

/// <summary>Runs the <see cref="ConnectionOperator"/> for the lifetime of the host.</summary>
public sealed class OperatorService(
    IKubernetes client,
    OperatorOptions options,
    IBastionProbe bastionProbe,
    IKeyPairSource keyPairs,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    StartupClock startupClock,
    Readiness readiness,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>Where a pod finds its own namespace.</summary>
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggerFactory.CreateLogger<OperatorService>();
        if (!options.LeaderElect)
        {
            await RunOperatorAsync(logger, stoppingToken).ConfigureAwait(false);
            return;
        }

        var election = new LeaderElectionOptions { Namespace = options.LeaderElectionNamespace ?? OwnNamespace() };
        await LeaderElection.RunWhileLeadingAsync(client, election, token => RunOperatorAsync(logger, token), logger, stoppingToken).ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
        }
    }

    private static string OwnNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";

    private async Task RunOperatorAsync(ILogger logger, CancellationToken stoppingToken)
    {
        var connectionOperator = new ConnectionOperator(client, options, bastionProbe, keyPairs, timeProvider, loggerFactory);
        var running = connectionOperator.RunAsync(stoppingToken);
        using var stopTrimming = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var trimming = new IdleMemoryTrimmer(timeProvider).RunAsync(stopTrimming.Token);
        try
        {
            await connectionOperator.Ready.ConfigureAwait(false);
            readiness.Set(true);
            logger.LogInformation("Operator ready in {ElapsedMs} ms", (long)startupClock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped before the caches synced");
        }

        try
        {
            await running.ConfigureAwait(false);
        }
        finally
        {
            readiness.Set(false);
            await stopTrimming.CancelAsync().ConfigureAwait(false);
            await trimming.ConfigureAwait(false);
        }
    }
}
