using SshTunnel.Core.Reconciliation;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// What one decision asks for, carried out in this order: the Deployment, the Service, the
/// status, then the events. An empty plan (no write, no status) is what a converged resource gets.
/// </summary>
public sealed record PortForwardPlan
{
    public WorkloadWrite? Deployment { get; init; }

    public WorkloadWrite? Service { get; init; }

    /// <summary>The status to publish; null when the published one is already right.</summary>
    public PortForwardStatus? Status { get; init; }

    /// <summary>Recorded once the status that tells the same is written.</summary>
    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];

    /// <summary>A foreign Deployment or Service holds a name: read them by name (the label-filtered caches never see it go) until it is gone.</summary>
    public bool ReadByName { get; init; }

    public bool IsEmpty => Deployment is null && Service is null && Status is null && Events.Count == 0;
}
