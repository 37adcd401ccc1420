namespace Kube.Controller.Idle;

/// <summary>
/// Says when a controller has nothing left to do: every cache has seen the changes up to a
/// given resourceVersion (and the controller's own writes), no key waits, is due or is being
/// reconciled, and no side work (probes, events) is pending. Tests wait for it before they
/// assert that something did not happen, instead of sleeping.
/// </summary>
public sealed class IdleSignal(IReadOnlyList<ICacheProgress> caches, IReadOnlyList<IIdleParticipant> participants, TimeProvider timeProvider)
{
    /// <summary>How often <see cref="WaitAsync"/> checks again.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Checks once. The participants' activity is read before and after their states, and a
    /// change in between counts as busy, so an idle answer describes one moment.
    /// </summary>
    /// <param name="resourceVersion">The resourceVersion every cache must have reached; null or 0 asks only for the controller's own writes.</param>
    public IdleReport Check(long? resourceVersion = null)
    {
        foreach (var cache in caches)
        {
            if (cache.Behind(resourceVersion ?? 0) is { } behind)
            {
                return IdleReport.BusyWith(behind);
            }
        }

        var before = TotalActivity();
        var now = timeProvider.GetUtcNow();
        foreach (var participant in participants)
        {
            if (participant.Busy(now) is { } busy)
            {
                return IdleReport.BusyWith(busy);
            }
        }

        return TotalActivity() == before ? IdleReport.Idle : IdleReport.BusyWith("work started during the check");
    }

    /// <summary>Completes once <see cref="Check"/> answers idle.</summary>
    public async Task WaitAsync(long? resourceVersion, CancellationToken cancellationToken)
    {
        while (!Check(resourceVersion).IsIdle)
        {
            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private long TotalActivity()
    {
        var total = 0L;
        foreach (var participant in participants)
        {
            total += participant.Activity;
        }

        return total;
    }
}
