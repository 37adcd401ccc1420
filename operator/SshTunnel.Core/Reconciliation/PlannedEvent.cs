namespace SshTunnel.Core.Reconciliation;

/// <summary>A Kubernetes Event to record on the connection resource. Never carries a private key.</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">One of <see cref="EventReasons"/>.</param>
/// <param name="Message">What happened and, for warnings, what to do.</param>
public sealed record PlannedEvent(EventType Type, string Reason, string Message);
