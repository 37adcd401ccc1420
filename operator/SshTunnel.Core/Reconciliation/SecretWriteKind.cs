namespace SshTunnel.Core.Reconciliation;

/// <summary>How the key Secret is written.</summary>
public enum SecretWriteKind
{
    /// <summary>POST: the Secret does not exist. A 409 AlreadyExists means the cache is behind: re-gather.</summary>
    Create,

    /// <summary>PUT with <see cref="SecretWrite.ExpectedResourceVersion"/>: a 409 Conflict means re-gather.</summary>
    Replace,
}
