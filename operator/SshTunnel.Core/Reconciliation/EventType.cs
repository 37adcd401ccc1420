namespace SshTunnel.Core.Reconciliation;

/// <summary>The Kubernetes Event type.</summary>
public enum EventType
{
    Normal,
    Warning,
}
