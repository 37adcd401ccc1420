namespace SshTunnel.Core.PortForwards;

/// <summary>
/// The reasons of an <c>SshPortForward</c>'s conditions, also the reasons of the Events that
/// report them. <see cref="ConnectionNotFound"/>, <see cref="DeploymentConflict"/>,
/// <see cref="ServiceConflict"/> and <see cref="ProgressDeadlineExceeded"/> wait for a person
/// (Stalled); the others are worked on (Reconciling).
/// </summary>
public static class PortForwardReasons
{
    /// <summary>Ready True: at least one forwarder holds an authenticated session.</summary>
    public const string Available = "Available";

    /// <summary>Ready True: <c>spec.replicas</c> is 0; the Service stays, nothing forwards.</summary>
    public const string ScaledToZero = "ScaledToZero";

    /// <summary>Ready False: no forwarder is ready yet (starting, or not logged in to the bastion).</summary>
    public const string ForwardersNotReady = "ForwardersNotReady";

    /// <summary>Ready False: no <c>SshTunnelConnection</c> of <c>spec.connectionName</c> in the namespace.</summary>
    public const string ConnectionNotFound = "ConnectionNotFound";

    /// <summary>Ready False: the connection has not published its keys or its key Secret is missing.</summary>
    public const string ConnectionNotReady = "ConnectionNotReady";

    /// <summary>Ready False: a Deployment <c>&lt;name&gt;-forward</c> exists that this SshPortForward does not control; never overwritten.</summary>
    public const string DeploymentConflict = "DeploymentConflict";

    /// <summary>Ready False: a Service <c>&lt;name&gt;</c> exists that this SshPortForward does not control; never overwritten.</summary>
    public const string ServiceConflict = "ServiceConflict";

    /// <summary>Ready False: the Deployment's rollout passed its progress deadline.</summary>
    public const string ProgressDeadlineExceeded = DeploymentProgress.DeadlineExceededReason;

    /// <summary>Reconciling True beside Ready True: a rollout or a scale is under way.</summary>
    public const string RollingOut = "RollingOut";

    /// <summary>Events: the Deployment or the Service was created or updated.</summary>
    public const string DeploymentCreated = "DeploymentCreated";

    public const string DeploymentUpdated = "DeploymentUpdated";

    public const string ServiceCreated = "ServiceCreated";

    public const string ServiceUpdated = "ServiceUpdated";

    /// <summary>The Ready reasons only a change by a person clears.</summary>
    internal static readonly IReadOnlySet<string> Permanent = new HashSet<string>
    {
        ConnectionNotFound,
        DeploymentConflict,
        ServiceConflict,
        ProgressDeadlineExceeded,
    };
}
