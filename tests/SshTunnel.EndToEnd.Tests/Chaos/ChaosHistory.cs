namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// Everything a chaos run saw: every Secret and status version its own watches delivered, the
/// resourceVersions after which a watch had to relist (410 Expired: versions up to the relist may
/// be missing), every rotate-keys value it wrote, the operator's log lines, the final state once
/// converged and how long convergence took after the last kill (null: never).
/// </summary>
public sealed class ChaosHistory
{
    public List<SecretVersion> Secrets { get; } = [];

    public List<StatusVersion> Statuses { get; } = [];

    /// <summary>The last resourceVersion a watch had seen before it relisted.</summary>
    public List<long> Gaps { get; } = [];

    /// <summary>Per connection, the rotate-keys values written, in order.</summary>
    public Dictionary<string, List<long>> Bumps { get; } = [];

    public IEnumerable<string> LogLines { get; set; } = [];

    /// <summary>Per connection, the Secret and the status once the run converged.</summary>
    public Dictionary<string, (SecretVersion Secret, StatusVersion Status)> Final { get; } = [];

    public TimeSpan? ConvergedAfterLastKill { get; set; }

    public TimeSpan ConvergenceBound { get; set; }
}
