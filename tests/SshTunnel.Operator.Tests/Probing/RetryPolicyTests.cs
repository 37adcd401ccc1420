using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>The retry policy around probe attempts, on a fake clock.</summary>
public sealed class RetryPolicyTests
{
    private static readonly SshKeyPair Key = SshKeyPair.Generate("retry-policy");

    private static readonly BastionProbeOptions Options = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxAttempts = 3,
        MaxTotal = TimeSpan.FromSeconds(30),
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryMaxDelay = TimeSpan.FromSeconds(8),
    };

    private readonly FakeTimeProvider time = new();

    [Theory]
    [InlineData(ProbeOutcome.ConnectionRefused)]
    [InlineData(ProbeOutcome.Timeout)]
    [InlineData(ProbeOutcome.NameResolutionFailed)]
    [InlineData(ProbeOutcome.ProtocolError)]
    public async Task A_transient_outcome_is_retried_up_to_the_attempt_limit(ProbeOutcome transient)
    {
        var attempt = new ScriptedAttempt(time, transient);
        var started = time.GetUtcNow();

        var result = await RunOnFakeClockAsync(attempt, Options);

        Assert.Equal(transient, result.Key1.Outcome);
        Assert.Equal(Options.MaxAttempts, attempt.Count);
        Assert.Equal($"attempt 3: {transient} (3 attempts over {Seconds(time.GetUtcNow() - started)})", result.Key1.Message);
    }

    [Theory]
    [InlineData(ProbeOutcome.Authenticated)]
    [InlineData(ProbeOutcome.AuthenticationFailed)]
    [InlineData(ProbeOutcome.HostKeyMismatch)]
    public async Task A_considered_answer_of_the_bastion_is_never_retried(ProbeOutcome final)
    {
        var attempt = new ScriptedAttempt(time, final);

        var result = await RunOnFakeClockAsync(attempt, Options);

        Assert.Equal(final, result.Key1.Outcome);
        Assert.Equal(1, attempt.Count);
    }

    [Fact]
    public async Task A_retry_that_gets_through_returns_the_answer()
    {
        var attempt = new ScriptedAttempt(time, ProbeOutcome.ConnectionRefused, ProbeOutcome.Authenticated);

        var result = await RunOnFakeClockAsync(attempt, Options);

        Assert.Equal(ProbeOutcome.Authenticated, result.Key1.Outcome);
        Assert.Equal(2, attempt.Count);
    }

    [Fact]
    public async Task A_retry_waits_a_backoff_delay_first()
    {
        var attempt = new ScriptedAttempt(time, ProbeOutcome.ConnectionRefused, ProbeOutcome.Authenticated);
        var probe = new SshBastionProbe(Options, time, NullLogger<SshBastionProbe>.Instance, attempt);

        var running = probe.ProbeAsync(ScriptedAttempt.Request(Key.PrivateKey), CancellationToken.None);

        Assert.False(running.IsCompleted);
        Assert.Equal(1, attempt.Count);
        await AdvanceUntilDoneAsync(running);
        Assert.Equal(2, attempt.Count);
    }

    [Fact]
    public async Task The_overall_bound_stops_retries_and_keeps_the_last_answer()
    {
        var options = new BastionProbeOptions
        {
            MaxAttempts = 1000,
            MaxTotal = TimeSpan.FromSeconds(30),
            RetryBaseDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(4),
        };
        var attempt = new ScriptedAttempt(time, ProbeOutcome.ConnectionRefused);
        var started = time.GetUtcNow();

        var result = await RunOnFakeClockAsync(attempt, options);

        Assert.Equal(ProbeOutcome.ConnectionRefused, result.Key1.Outcome);
        Assert.InRange(attempt.Count, 2, 999);
        Assert.Equal($"attempt {attempt.Count}: ConnectionRefused ({attempt.Count} attempts over {Seconds(time.GetUtcNow() - started)})", result.Key1.Message);
    }

    [Fact]
    public async Task The_overall_bound_ends_a_hanging_attempt_as_a_timeout()
    {
        var attempt = new ScriptedAttempt(time, [null]);

        var result = await RunOnFakeClockAsync(attempt, Options);

        Assert.Equal(ProbeOutcome.Timeout, result.Key1.Outcome);
        Assert.Contains("materialize@bastion.example.com:22", result.Key1.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempt.Count);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates_from_a_backoff_delay()
    {
        var attempt = new ScriptedAttempt(time, ProbeOutcome.ConnectionRefused);
        var probe = new SshBastionProbe(Options, time, NullLogger<SshBastionProbe>.Instance, attempt);
        using var cancellation = new CancellationTokenSource();

        var running = probe.ProbeAsync(ScriptedAttempt.Request(Key.PrivateKey), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(1, attempt.Count);
    }

    [Theory]
    [InlineData(0, 30, 10)]
    [InlineData(3, 0, 10)]
    [InlineData(3, 30, 0)]
    public void Options_out_of_range_are_refused(int maxAttempts, int maxTotalSeconds, int connectTimeoutSeconds)
    {
        var options = new BastionProbeOptions
        {
            MaxAttempts = maxAttempts,
            MaxTotal = TimeSpan.FromSeconds(maxTotalSeconds),
            ConnectTimeout = TimeSpan.FromSeconds(connectTimeoutSeconds),
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new SshBastionProbe(options, time, NullLogger<SshBastionProbe>.Instance));
    }

    private static string Seconds(TimeSpan elapsed) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s");

    private async Task<ProbeResult> RunOnFakeClockAsync(ScriptedAttempt attempt, BastionProbeOptions options)
    {
        var probe = new SshBastionProbe(options, time, NullLogger<SshBastionProbe>.Instance, attempt);
        var running = probe.ProbeAsync(ScriptedAttempt.Request(Key.PrivateKey), CancellationToken.None);
        await AdvanceUntilDoneAsync(running);
        return await running;
    }

    private async Task AdvanceUntilDoneAsync(Task running)
    {
        // Each step fires due timers; the yield lets the continuations they release run.
        for (var step = 0; step < 10_000 && !running.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(1);
        }

        Assert.True(running.IsCompleted, "The probe did not finish within 2,500 s of fake time.");
    }
}
