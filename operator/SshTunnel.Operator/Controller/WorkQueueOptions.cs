namespace SshTunnel.Operator.Controller;

/// <summary>The per-key retry backoff of a <see cref="WorkQueue{TKey}"/>.</summary>
public sealed record WorkQueueOptions
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);
}
