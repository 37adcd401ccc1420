using Polly.Retry;

namespace Kube.Controller.Backoff;

/// <summary>
/// The one retry backoff of the controller: <see cref="Initial"/> after the first failure,
/// doubling with every further failure, never more than <see cref="Maximum"/>. The work queue,
/// the informers, the API pipeline and the probe schedule all wait by it; only their bounds differ.
/// </summary>
/// <param name="Initial">The wait after the first failure.</param>
/// <param name="Maximum">The longest wait.</param>
public sealed record ExponentialBackoff(TimeSpan Initial, TimeSpan Maximum)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 or more; less counts as 1).</summary>
    public TimeSpan After(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var delay = Initial * Math.Pow(2, doublings);
        return delay < Maximum ? delay : Maximum;
    }

    /// <summary>
    /// <see cref="After"/> spread over [half, full] of the delay, so that many clients that failed
    /// together do not retry together.
    /// </summary>
    public TimeSpan Jittered(int failures, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return After(failures) * (0.5 + (random.NextDouble() / 2));
    }

    /// <summary>
    /// This backoff (jittered) as a Polly retry delay: Polly's attempt number counts from 0, so
    /// attempt 0 is the wait after the first failure.
    /// </summary>
    public TimeSpan RetryDelay<TResult>(RetryDelayGeneratorArguments<TResult> arguments) =>
        Jittered(arguments.AttemptNumber + 1, Random.Shared);
}
