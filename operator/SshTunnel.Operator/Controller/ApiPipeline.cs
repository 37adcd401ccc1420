using Polly;
using Polly.Retry;

namespace SshTunnel.Operator.Controller;

/// <summary>
/// The resilience pipeline around every API call: transient failures (429 honouring
/// Retry-After, 5xx, timeouts, transport errors) are retried with jittered exponential
/// backoff. Conflicts, not-found and invalid requests pass straight through: the reconciler
/// decides what they mean.
/// </summary>
public static class ApiPipeline
{
    public static ResiliencePipeline Create(ApiRetryOptions options, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ApiErrors.IsTransient),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception ? ApiErrors.RetryAfter(exception) : null),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
}
