using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Runs work only while this process holds the Lease (KubernetesClient's LeaseLock). Losing
/// the lease cancels the work at once and returns, so the caller can exit and be restarted
/// rather than run on beside a new leader.
/// </summary>
public static class LeaderElection
{
    /// <summary>Waits for the lease, runs <paramref name="work"/> while it is held; returns when it is lost or on cancellation.</summary>
    public static async Task RunWhileLeadingAsync(
        IKubernetes client,
        LeaderElectionOptions options,
        Func<CancellationToken, Task> work,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task running = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("Acquired lease {Namespace}/{Lease} as {Identity}", options.Namespace, options.LeaseName, options.Identity);
            running = Task.Run(() => work(leading.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            logger.LogWarning("Lost lease {Namespace}/{Lease}; stopping all work", options.Namespace, options.LeaseName);
            leading.Cancel();
        };
        elector.OnNewLeader += leader => logger.LogInformation("Lease {Lease} is held by {Leader}", options.LeaseName, leader);

        try
        {
            await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped while waiting for or holding the lease");
        }
        finally
        {
            await leading.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }
    }
}
