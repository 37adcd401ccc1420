using Polly;
using Polly.Retry;

namespace Kube.Controller.Api;

/// <summary>
/// The resilience pipeline around every API call: each attempt is bounded by
/// <see cref="ApiRetryOptions.AttemptTimeout"/> (a hung request is cancelled), and transient
/// failures (429 honouring Retry-After, 5xx, timeouts, transport errors) are retried with the
/// jittered <see cref="ApiRetryOptions.Backoff"/>. Conflicts, not-found and invalid requests pass
/// straight through: the reconciler decides what they mean.
/// </summary>
public static class ApiPipeline
{
    public static ResiliencePipeline Create(ApiRetryOptions options, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ApiErrors.IsTransient),
                MaxRetryAttempts = options.MaxRetryAttempts,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    (args.Outcome.Exception is { } exception ? ApiErrors.RetryAfter(exception) : null) ?? options.Backoff.RetryDelay(args)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
}
