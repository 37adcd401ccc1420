using k8s.Models;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// The key Secret as the Secret cache keeps it (<see cref="CacheCompaction.Secret"/>): metadata
/// without data, and the <see cref="KeySecretVerdict"/> computed from the data when the Secret
/// entered the cache, so a decision that writes nothing needs no read of the Secret.
/// </summary>
public sealed record KeySecretView : V1Secret
{
    /// <summary>Core's verdict on the data this view was made from.</summary>
    public KeySecretVerdict Verdict { get; init; }
}
