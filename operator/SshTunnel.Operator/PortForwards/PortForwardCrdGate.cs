using k8s;
using Kube.Controller.Api;
using Kube.Controller.Backoff;
using Kube.Controller.Caching;
using Kube.Controller.Idle;
using Microsoft.Extensions.Logging;
using Polly;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Operator.PortForwards;

/// <summary>
/// Runs the SshPortForward informer once the API server serves the resource. A cluster may have
/// only the SshTunnelConnection CRD (a plain-manifest upgrade that applied the old CRD only):
/// the API server then answers 404 to a LIST of port forwards, and an informer started anyway
/// would never sync, so the operator would never become ready. Instead one LIST of at most one
/// port forward asks whether the resource is served; while it is not, the absence is logged
/// once, the connections work as usual, and the question is asked again on a backoff (and at
/// once when someone waits for the idle signal beyond the last answer), so the port forwards
/// start by themselves when the CRD is installed. The LIST needs no permission beyond the
/// informer's own (<c>list</c> on sshportforwards).
/// </summary>
public sealed class PortForwardCrdGate : ICacheProgress
{
    /// <summary>How often the absent CRD is looked for again: after 1 s, doubling, at most every 30 s.</summary>
    public static readonly ExponentialBackoff DefaultRecheck = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private readonly IKubernetes client;
    private readonly Informer<SshPortForward> portForwards;
    private readonly Informer<SshTunnelConnection> witness;
    private readonly string? probeNamespace;
    private readonly ResiliencePipeline apiPipeline;
    private readonly ExponentialBackoff recheck;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long absentAsOf = -1;
    private volatile bool served;

    /// <param name="client">Where the LIST goes.</param>
    /// <param name="portForwards">The informer to run once the resource is served.</param>
    /// <param name="witness">
    /// An informer of the same API server that runs meanwhile: the resourceVersion it has reached
    /// before a LIST that answered 404 is one up to which no port forward can have changed, which
    /// keeps the idle signal truthful while the CRD is absent.
    /// </param>
    /// <param name="namespaces">The watched namespaces (the LIST goes to the first, so namespaced permissions suffice); empty for all.</param>
    /// <param name="apiPipeline">Retries a LIST that failed for a transient reason.</param>
    /// <param name="recheck">The wait between two looks while the CRD is absent.</param>
    /// <param name="timeProvider">The clock of the wait.</param>
    /// <param name="logger">Where the absence and the arrival are logged.</param>
    public PortForwardCrdGate(
        IKubernetes client,
        Informer<SshPortForward> portForwards,
        Informer<SshTunnelConnection> witness,
        IReadOnlyCollection<string> namespaces,
        ResiliencePipeline apiPipeline,
        ExponentialBackoff recheck,
        TimeProvider timeProvider,
        ILogger logger)
    {
        this.client = client;
        this.portForwards = portForwards;
        this.witness = witness;
        probeNamespace = namespaces.FirstOrDefault();
        this.apiPipeline = apiPipeline;
        this.recheck = recheck;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Completes once the first answer is known: the port forward cache is synced, or the CRD is not installed.</summary>
    public Task Settled => settled.Task;

    /// <summary>Whether the API server serves SshPortForward and its informer runs.</summary>
    public bool Served => served;

    /// <inheritdoc/>
    public string? Behind(long resourceVersion)
    {
        if (served)
        {
            return portForwards.Behind(resourceVersion);
        }

        var confirmed = Interlocked.Read(ref absentAsOf);
        if (resourceVersion <= confirmed)
        {
            return null;
        }

        Volatile.Read(ref nudge).TrySetResult();
        return confirmed < 0
            ? "SshPortForward: not yet known whether its CRD is installed"
            : $"SshPortForward: its CRD was not installed at resourceVersion {confirmed}; looking again";
    }

    /// <summary>Looks until the resource is served, then runs its informer; until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var looks = 0;
        var absenceLogged = false;
        try
        {
            while (true)
            {
                var witnessed = witness.Reached();
                var answer = await IsServedAsync(cancellationToken).ConfigureAwait(false);
                if (answer == true)
                {
                    break;
                }

                looks++;
                if (answer is null)
                {
                    await WaitAsync(recheck.After(looks), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!absenceLogged)
                {
                    absenceLogged = true;
                    logger.LogWarning(
                        "The SshPortForward CRD ({Plural}.{Group}) is not installed: the API server answers 404 for it. SshTunnelConnections work as usual; "
                        + "port forwards start by themselves once it is installed (kubectl apply -f crds/sshportforwards.yaml), looked for again at most every {Recheck}",
                        PortForwardNames.Plural, ResourceNames.Group, recheck.Maximum);
                }

                // This loop is the only writer; the idle checks read it from other threads.
                Interlocked.Exchange(ref absentAsOf, Math.Max(Interlocked.Read(ref absentAsOf), witnessed));
                settled.TrySetResult();
                await WaitAsync(recheck.After(looks), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            settled.TrySetCanceled(cancellationToken);
            return;
        }

        served = true;
        if (absenceLogged)
        {
            logger.LogInformation("The SshPortForward CRD is installed now; starting the port forward controller");
        }

        _ = portForwards.Synced.ContinueWith(
            _ => settled.TrySetResult(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        await portForwards.RunAsync(cancellationToken).ConfigureAwait(false);
        settled.TrySetCanceled(cancellationToken);
    }

    /// <summary>
    /// One LIST of at most one port forward: true when it answers, false on 404 (the resource is
    /// not served), null when it failed otherwise (after the pipeline's retries): nothing is known then.
    /// </summary>
    private async Task<bool?> IsServedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await apiPipeline.ExecuteAsync(
                async token =>
                {
                    using var response = probeNamespace is null
                        ? await client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync(
                            ResourceNames.Group, ResourceNames.Version, PortForwardNames.Plural, limit: 1, cancellationToken: token).ConfigureAwait(false)
                        : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                            ResourceNames.Group, ResourceNames.Version, probeNamespace, PortForwardNames.Plural, limit: 1, cancellationToken: token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not ask whether the SshPortForward CRD is installed; asking again");
            return null;
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or less when the idle signal is asked about a resourceVersion beyond the last answer.</summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var woken = Volatile.Read(ref nudge).Task;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(delay, timeProvider, stopWaiting.Token), woken).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (woken.IsCompleted)
        {
            Volatile.Write(ref nudge, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }
}
