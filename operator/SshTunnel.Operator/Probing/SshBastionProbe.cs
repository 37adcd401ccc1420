using Kube.Controller.Backoff;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// Probes a bastion with SSH.NET: logs in with key 1 and key 2, reports the host key it
/// presented, enforces the host key pin, and retries transient failures (refused, timeout,
/// resolution, protocol) with the jittered <see cref="ExponentialBackoff"/> inside
/// <see cref="BastionProbeOptions.MaxTotal"/>. A denied key or a wrong host key is final.
/// </summary>
public sealed partial class SshBastionProbe : IBastionProbe
{
    private readonly BastionProbeOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<SshBastionProbe> logger;
    private readonly IProbeAttempt attempt;
    private readonly ResiliencePipeline<ProbeResult> pipeline;

    public SshBastionProbe(BastionProbeOptions options, TimeProvider timeProvider, ILogger<SshBastionProbe> logger)
        : this(options, timeProvider, logger, new SshProbeAttempt(options, timeProvider))
    {
    }

    internal SshBastionProbe(BastionProbeOptions options, TimeProvider timeProvider, ILogger<SshBastionProbe> logger, IProbeAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.attempt = attempt;
        pipeline = BuildPipeline();
    }

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ProbeKey.TryRead("key 1", request.PrivateKey1, out var key1, out var key1Error))
        {
            return new ProbeResult(
                request.Connection, new KeyProbe(ProbeOutcome.AuthenticationFailed, key1Error), null, null, null, timeProvider.GetUtcNow());
        }

        using (key1)
        {
            ProbeKey? key2 = null;
            if (request.PrivateKey2 is not null && !ProbeKey.TryRead("key 2", request.PrivateKey2, out key2, out var key2Error))
            {
                var result = await ProbeWithRetriesAsync(request, key1, null, cancellationToken).ConfigureAwait(false);
                return result with { Key2 = new KeyProbe(ProbeOutcome.AuthenticationFailed, key2Error) };
            }

            using (key2)
            {
                return await ProbeWithRetriesAsync(request, key1, key2, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ProbeResult> ProbeWithRetriesAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.MaxTotal, timeProvider);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = timeProvider.GetTimestamp();
        ProbeResult? last = null;
        var attempts = 0;
        try
        {
            var result = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return last = await attempt.RunAsync(request, key1, key2, token, cancellationToken).ConfigureAwait(false);
                },
                bounded.Token).ConfigureAwait(false);
            return WithTotalTime(result, attempts, timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The overall bound ran out, in an attempt or in a backoff delay: the last answer stands.
            var elapsed = LoginFailureClassifier.Seconds(timeProvider.GetElapsedTime(started));
            return last is not null ? WithTotalTime(last, attempts, timeProvider.GetElapsedTime(started)) : new ProbeResult(
                request.Connection,
                new KeyProbe(ProbeOutcome.Timeout, $"{request.Connection}: no answer after {elapsed}"),
                null,
                null,
                null,
                timeProvider.GetUtcNow());
        }
    }

    /// <summary>
    /// A failure that outlasted retries says how long the whole probe took, not only its last
    /// attempt, so a user reading "no answer after 10.0 s" knows it was tried for 31 s.
    /// </summary>
    private static ProbeResult WithTotalTime(ProbeResult result, int attempts, TimeSpan elapsed) =>
        attempts > 1 && result.Key1.Outcome.IsTransient()
            ? result with { Key1 = result.Key1 with { Message = $"{result.Key1.Message} ({attempts} attempts over {LoginFailureClassifier.Seconds(elapsed)})" } }
            : result;

    private ResiliencePipeline<ProbeResult> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<ProbeResult> { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            var backoff = new ExponentialBackoff(options.RetryBaseDelay, options.RetryMaxDelay);
            builder.AddRetry(new RetryStrategyOptions<ProbeResult>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.IsTransient() ?? false),
                MaxRetryAttempts = options.MaxAttempts - 1,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(backoff.RetryDelay(args)),
                OnRetry = args =>
                {
                    if (args.Outcome.Result is { } result)
                    {
                        var (key, failed) = result.Key1.Outcome.IsTransient() || result.Key2 is null
                            ? ("key 1", result.Key1)
                            : ("key 2", result.Key2);
                        LogRetry(result.Connection.Endpoint, args.AttemptNumber + 1, key, failed.Outcome, failed.Message, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe of {Endpoint} attempt {Attempt}: {SshKey} ended {Outcome}: {Detail}; retrying in {Delay}")]
    private partial void LogRetry(string endpoint, int attempt, string sshKey, ProbeOutcome outcome, string detail, TimeSpan delay);
}
