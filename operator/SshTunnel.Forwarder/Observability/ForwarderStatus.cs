namespace SshTunnel.Forwarder.Observability;

/// <summary>
/// What <c>/readyz</c> answers and explains: ready while a session is authenticated and the
/// process is not draining; the detail names the bastion, the key, the host key check, or the
/// last error.
/// </summary>
public sealed class ForwarderStatus
{
    private readonly Lock gate = new();
    private string? session;
    private string lastError = "no login tried yet";
    private bool draining;

    /// <summary>True while a session serves new connections.</summary>
    public bool IsReady
    {
        get
        {
            lock (gate)
            {
                return session is not null && !draining;
            }
        }
    }

    /// <summary>One line for /readyz and for connections refused while not ready.</summary>
    public string Detail
    {
        get
        {
            lock (gate)
            {
                return draining ? "draining: shutting down"
                    : session is not null ? $"ready: {session}"
                    : $"not ready: {lastError}";
            }
        }
    }

    /// <summary>The most recent login failure, or empty.</summary>
    public string LastError
    {
        get
        {
            lock (gate)
            {
                return lastError;
            }
        }
    }

    public void Authenticated(string description) => Update(() => session = description);

    public void Failed(string error) => Update(() => (session, lastError) = (null, error));

    public void Draining() => Update(() => draining = true);

    private void Update(Action change)
    {
        lock (gate)
        {
            change();
        }

        ForwarderMetrics.Ready.Set(IsReady ? 1 : 0);
    }
}
