namespace SshTunnel.Core.Secrets;

/// <summary>
/// The parts of a Kubernetes Secret the decisions read, so Core needs no Kubernetes client.
/// The operator maps its <c>V1Secret</c> to this.
/// </summary>
/// <param name="ResourceVersion">The version to use as the precondition of a replace.</param>
/// <param name="Type">The Secret's <c>type</c>.</param>
/// <param name="Labels">The Secret's labels (empty when none).</param>
/// <param name="Annotations">The Secret's annotations (empty when none).</param>
/// <param name="Data">The decoded <c>data</c> entries (empty when none).</param>
/// <param name="ControllerOwnerUid">The uid of the ownerReference with <c>controller: true</c>, or null.</param>
public sealed record SecretSnapshot(
    string ResourceVersion,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, byte[]> Data,
    string? ControllerOwnerUid)
{
    /// <summary>The Secret's <c>metadata.creationTimestamp</c>: key 1's age before its first rotation.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>
    /// Set when this snapshot comes from a cache that keeps no key material: <see cref="Data"/>
    /// and the operator's annotations are then absent, and the decision works from the verdict
    /// and status, or asks for the whole Secret (<see cref="Reconciliation.ReconcilePlan.NeedsWholeSecret"/>).
    /// </summary>
    public KeySecretVerdict? Verdict { get; init; }
}
