using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Observability;
using SshTunnel.Forwarder.Secrets;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// Keeps one authenticated session to the bastion current: logs in with the mounted Secret,
/// logs in again with jittered exponential backoff when the session drops, and makes a new
/// session when the Secret changes. A new session replaces the current one only once it is
/// authenticated; the replaced one lives on while it carries connections. When the new Secret
/// cannot log in, the old session stops serving new connections too: the Secret is the truth.
/// </summary>
public sealed class SessionSupervisor(
    ForwarderOptions options,
    MountedSecretReader reader,
    BastionLogin login,
    ForwarderStatus status,
    ILogger<SessionSupervisor> logger,
    TimeProvider timeProvider)
{
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private BastionSession? current;
    private TaskCompletionSource published = NewSignal();

    /// <summary>
    /// A leased session for one new connection, waiting up to <c>--session-wait</c> while none is
    /// authenticated; null when the wait ends first. Call <see cref="BastionSession.Release"/> when done.
    /// </summary>
    public async Task<BastionSession?> AcquireAsync(CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(options.SessionWait, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (current is { } session && session.TryAcquire())
                {
                    return session;
                }

                next = published.Task;
            }

            try
            {
                await next.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>Runs until <paramref name="stopping"/>; then the current session is retired (it closes when its connections end).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var secret = await ReadSecretAsync(stopping).ConfigureAwait(false);
                using var updated = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var watch = WatchForUpdateAsync(secret.Version, updated);
                try
                {
                    await KeepSessionAsync(secret, updated.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (updated.IsCancellationRequested)
                {
                    await watch.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the session is retired below.
        }

        Replace(null)?.Retire();
    }

    private async Task<MountedSecret> ReadSecretAsync(CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                return reader.Read();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // A half-swapped or missing mount: keep the session in use, try again shortly.
                logger.LogWarning("Cannot read the Secret: {Error}", ex.Message);
                if (current is null)
                {
                    status.Failed($"cannot read the Secret: {ex.Message}");
                }

                await Task.Delay(options.SecretPollInterval, timeProvider, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task WatchForUpdateAsync(string version, CancellationTokenSource updated)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.SecretPollInterval, timeProvider, updated.Token).ConfigureAwait(false);
                if (SecretChanged(version))
                {
                    ForwarderMetrics.SecretUpdates.Inc();
                    logger.LogInformation("The Secret changed (now {Version}); logging in with it", reader.CurrentVersion());
                    await updated.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping, or the session loop ended.
        }
    }

    private bool SecretChanged(string version)
    {
        var linked = reader.CurrentVersion();
        if (linked.Length > 0)
        {
            return linked != version;
        }

        try
        {
            return reader.Read().Version != version;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task KeepSessionAsync(MountedSecret secret, CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BackoffInitial,
                MaxDelay = options.BackoffMax,
                OnRetry = args =>
                {
                    LoginFailed(secret, args.Outcome.Exception!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
        while (true)
        {
            var started = timeProvider.GetTimestamp();
            var session = await pipeline.ExecuteAsync(token => new ValueTask<BastionSession>(login.ConnectAsync(secret, token)), cancellationToken)
                .ConfigureAwait(false);
            ForwarderMetrics.SetupSeconds.Observe(timeProvider.GetElapsedTime(started).TotalSeconds);
            Replace(session)?.Retire();
            var reason = await WatchAsync(session, cancellationToken).ConfigureAwait(false);
            ForwarderMetrics.Reconnects.Inc();
            logger.LogWarning("The session to {Target} dropped: {Reason}; logging in again", secret.Target, reason);
            status.Failed($"{secret.Target}: the session dropped ({reason}); logging in again");
            if (Replace(null, onlyIf: session) is { } lost)
            {
                lost.Retire();
            }
        }
    }

    private async Task<string> WatchAsync(BastionSession session, CancellationToken cancellationToken)
    {
        // SSH.NET reports a lost transport through ErrorOccurred; a clean disconnect from the
        // server only through IsConnected, which the watchdog reads.
        while (!session.Dropped.IsCompleted)
        {
            await Task.WhenAny(session.Dropped, Task.Delay(WatchdogInterval, timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!session.IsConnected)
            {
                session.Drop("the bastion closed the connection");
            }
        }

        return await session.Dropped.ConfigureAwait(false);
    }

    private void LoginFailed(MountedSecret secret, Exception exception, TimeSpan retryDelay)
    {
        var reason = exception is BastionLoginException login ? login.Reason : "connection";
        ForwarderMetrics.LoginFailures.WithLabels(reason).Inc();
        logger.LogWarning("Login to {Target} failed ({Reason}): {Error}; next try in {Delay:0.0} s", secret.Target, reason, exception.Message, retryDelay.TotalSeconds);

        // The session of an older Secret version no longer speaks for the connection.
        if (current is { } session && session.Secret.Version != secret.Version)
        {
            Replace(null, onlyIf: session)?.Retire();
        }

        status.Failed(exception.Message);
    }

    /// <summary>Makes <paramref name="next"/> current (when the current one is <paramref name="onlyIf"/>, if given) and returns the one replaced.</summary>
    private BastionSession? Replace(BastionSession? next, BastionSession? onlyIf = null)
    {
        BastionSession? previous;
        TaskCompletionSource signal;
        lock (gate)
        {
            if (onlyIf is not null && !ReferenceEquals(current, onlyIf))
            {
                return null;
            }

            previous = current;
            current = next;
            signal = published;
            if (next is not null)
            {
                published = NewSignal();
            }
        }

        if (next is not null)
        {
            ForwarderMetrics.SessionsEstablished.WithLabels(next.KeyNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            ForwarderMetrics.AuthenticatedKey.Set(next.KeyNumber);
            ForwarderMetrics.HostKeyVerified.Set(next.Verdict == Core.Keys.HostKeyVerdict.Trusted ? 1 : 0);
            logger.LogInformation("Session ready: {Session}", next.Description);
            status.Authenticated(next.Description);
            signal.TrySetResult();
        }
        else
        {
            ForwarderMetrics.AuthenticatedKey.Set(0);
        }

        return previous;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
