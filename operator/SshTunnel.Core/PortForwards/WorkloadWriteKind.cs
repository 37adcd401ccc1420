namespace SshTunnel.Core.PortForwards;

/// <summary>How a Deployment or Service is written.</summary>
public enum WorkloadWriteKind
{
    /// <summary>POST: it does not exist.</summary>
    Create,

    /// <summary>PUT of the existing object with the owned fields replaced, its resourceVersion as precondition.</summary>
    Update,
}
