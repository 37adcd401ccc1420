namespace SshTunnel.Core.Reconciliation;

/// <summary>How the key Secret is written.</summary>
public enum SecretWriteKind
{
    /// <summary>POST: the Secret does not exist. A 409 AlreadyExists means the cache is behind: re-gather.</summary>
    Create,

    /// <summary>PUT with <see cref="SecretWrite.ExpectedResourceVersion"/>: a 409 Conflict means re-gather.</summary>
    Replace,

    /// <summary>
    /// A rotation decided without the Secret's data: a JSON patch, with
    /// <see cref="SecretWrite.ExpectedResourceVersion"/> as its precondition, that moves
    /// <c>private-key-2</c> to <c>private-key-1</c> on the API server's copy and sets the entries
    /// of <see cref="SecretWrite.Contents"/> (the new public key 1, the new pair 2, the rotation
    /// annotations). A 409 Conflict, or a 422 for a path the Secret no longer has, means re-gather.
    /// </summary>
    Promote,
}
