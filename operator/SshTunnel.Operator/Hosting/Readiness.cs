namespace SshTunnel.Operator.Hosting;

/// <summary>
/// What <c>/readyz</c> answers, with controller-runtime's meaning: the process can serve. A
/// standby that contends for the lease is ready (a rolling update of two replicas must not wait
/// for the lease to move); the replica that works is ready once its caches are synced; nobody is
/// ready once stopping.
/// </summary>
public sealed class Readiness
{
    private readonly Lock gate = new();
    private bool contending;
    private bool working;
    private bool synced;
    private bool stopping;

    public bool IsReady
    {
        get
        {
            lock (gate)
            {
                return !stopping && (synced || (contending && !working));
            }
        }
    }

    /// <summary>Waiting for the lease, able to take over.</summary>
    public void Contending() => Update(() => contending = true);

    /// <summary>Starting work (lease held, or no election): not ready until the caches are synced.</summary>
    public void Working() => Update(() => (working, synced) = (true, false));

    /// <summary>The caches are synced and the workers run.</summary>
    public void Synced() => Update(() => synced = true);

    /// <summary>Shutting down or lost the lease.</summary>
    public void Stopping() => Update(() => stopping = true);

    private void Update(Action change)
    {
        lock (gate)
        {
            change();
        }
    }
}
