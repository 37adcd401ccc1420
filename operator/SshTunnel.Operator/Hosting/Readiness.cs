namespace SshTunnel.Operator.Hosting;

/// <summary>Whether the operator is ready: caches synced, workers running, lease held when electing.</summary>
public sealed class Readiness
{
    private volatile bool ready;

    public bool IsReady => ready;

    public void Set(bool value) => ready = value;
}
