using Kube.Controller.Backoff;

namespace Kube.Controller.Queue;

/// <summary>The per-key retry backoff of a <see cref="WorkQueue{TKey}"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>5 ms after the first failure of a key, doubling up to 5 minutes, as client-go's default controller rate limiter.</summary>
    public ExponentialBackoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5));
}
