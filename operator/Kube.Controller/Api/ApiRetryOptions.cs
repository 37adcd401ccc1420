using Kube.Controller.Backoff;

namespace Kube.Controller.Api;

/// <summary>How hard the API pipeline retries transient failures.</summary>
public sealed record ApiRetryOptions
{
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>The wait between attempts when the server names none (Retry-After): 50 ms, doubling up to 10 s, jittered.</summary>
    public ExponentialBackoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));

    /// <summary>The bound on one attempt; a hung request is cancelled and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
