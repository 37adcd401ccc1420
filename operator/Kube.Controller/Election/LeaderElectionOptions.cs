namespace Kube.Controller.Election;

/// <summary>The Lease that several replicas of a controller contend for, and its timing.</summary>
public sealed record LeaderElectionOptions
{
    public string Namespace { get; init; } = "default";

    public required string LeaseName { get; init; }

    /// <summary>Who holds the lease; unique per process.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
