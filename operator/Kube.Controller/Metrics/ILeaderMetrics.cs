namespace Kube.Controller.Metrics;

/// <summary>
/// What <see cref="Election.LeaderElection"/> reports: the lease is the process's, not a
/// controller's, so it is reported apart from <see cref="IControllerMetrics"/>. Implementations
/// must be thread-safe.
/// </summary>
public interface ILeaderMetrics
{
    /// <summary>This process started or stopped holding the lease <paramref name="leaseName"/>.</summary>
    void LeaderChanged(string leaseName, bool leading);
}
