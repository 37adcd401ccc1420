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
    StartupClock startupClock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggerFactory.CreateLogger<OperatorService>();
        var connectionOperator = new ConnectionOperator(client, options, bastionProbe, keyPairs, timeProvider, loggerFactory);
        var running = connectionOperator.RunAsync(stoppingToken);
        try
        {
            await connectionOperator.Ready.ConfigureAwait(false);
            logger.LogInformation("Operator ready in {ElapsedMs} ms", (long)startupClock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped before the caches synced");
        }

        await running.ConfigureAwait(false);
    }
}
