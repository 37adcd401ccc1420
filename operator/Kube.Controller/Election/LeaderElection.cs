using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Kube.Controller.Metrics;

namespace Kube.Controller.Election;

/// <summary>
/// Runs work only while this process holds the Lease (KubernetesClient's LeaseLock). Losing
/// the lease aborts the work at once and returns, so the caller can exit and be restarted
/// rather than run on beside a new leader. A graceful stop lets the work drain within a bound,
/// then releases the lease so that a standby takes over without waiting for it to expire:
/// KubernetesClient's LeaderElector only stops renewing when cancelled.
/// </summary>
public sealed class LeaderElection(IKubernetes client, LeaderElectionOptions options, ILeaderMetrics metrics, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>
    /// Contends for the lease and runs <paramref name="work"/> while it is held. The work gets two
    /// tokens: the first asks it to stop taking work and finish what is in flight (a graceful stop,
    /// <paramref name="stopping"/>), the second aborts it (lease lost, or the drain overran
    /// <paramref name="shutdownTimeout"/>). Returns when the lease is lost, or after a graceful stop
    /// once the lease is released.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, CancellationToken, Task> work, TimeSpan shutdownTimeout, CancellationToken stopping)
    {
        var leaseLock = new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        using var electing = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        using var drainBound = stopping.Register(() => abort.CancelAfter(shutdownTimeout));
        var led = false;
        Task running = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("Acquired lease {Namespace}/{Lease} as {Identity}", options.Namespace, options.LeaseName, options.Identity);
            metrics.LeaderChanged(options.LeaseName, true);
            led = true;
            running = Task.Run(() => work(stopping, abort.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            metrics.LeaderChanged(options.LeaseName, false);
            if (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("Lost lease {Namespace}/{Lease}; stopping all work", options.Namespace, options.LeaseName);
            }

            abort.Cancel();
        };
        elector.OnNewLeader += leader => logger.LogInformation("Lease {Lease} is held by {Leader}", options.LeaseName, leader);

        metrics.LeaderChanged(options.LeaseName, false);
        var electorRun = elector.RunUntilLeadershipLostAsync(electing.Token);
        await Task.WhenAny(electorRun, Task.Delay(Timeout.Infinite, stopping)).ConfigureAwait(false);
        var lost = electorRun.IsCompleted;
        if (!lost)
        {
            // Renewal goes on while the work drains, so no standby starts beside us meanwhile.
            await running.ConfigureAwait(false);
            await electing.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await electorRun.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (electing.IsCancellationRequested)
        {
            logger.LogInformation("Stopped contending for lease {Namespace}/{Lease}", options.Namespace, options.LeaseName);
        }
        finally
        {
            await abort.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }

        if (led && !lost)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Clears the holder the way client-go's ReleaseOnCancel does, with the resourceVersion just
    /// read as precondition, so a lease another replica took meanwhile is never touched. The holder
    /// becomes empty rather than absent: KubernetesClient's elector tries to create a Lease whose
    /// holder is absent (409 forever) but takes over one whose holder is empty.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var bound = new CancellationTokenSource(options.RenewDeadline);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.Namespace, cancellationToken: bound.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != options.Identity)
            {
                logger.LogInformation("Lease {Namespace}/{Lease} is no longer ours; nothing to release", options.Namespace, options.LeaseName);
                return;
            }

            var now = timeProvider.GetUtcNow().UtcDateTime;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.AcquireTime = now;
            lease.Spec.RenewTime = now;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.Namespace, cancellationToken: bound.Token).ConfigureAwait(false);
            logger.LogInformation("Released lease {Namespace}/{Lease}", options.Namespace, options.LeaseName);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            logger.LogInformation("Lease {Namespace}/{Lease} changed meanwhile; not released", options.Namespace, options.LeaseName);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning(e, "Could not release lease {Namespace}/{Lease}; a standby takes over once it expires", options.Namespace, options.LeaseName);
        }
    }
}
