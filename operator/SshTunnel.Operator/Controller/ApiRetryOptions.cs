namespace SshTunnel.Operator.Controller;

/// <summary>How hard the API pipeline retries transient failures.</summary>
public sealed record ApiRetryOptions
{
    public int MaxRetryAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The bound on one attempt; a hung request is cancelled and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
