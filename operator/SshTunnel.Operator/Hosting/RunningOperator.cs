using Kube.Controller.Idle;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The idle signal of the operator that works right now (none while contending for the lease or
/// stopping), for <c>/debug/idle</c>.
/// </summary>
public sealed class RunningOperator
{
    private IdleSignal? current;

    public IdleSignal? Idle => Volatile.Read(ref current);

    /// <summary>Publishes <paramref name="signal"/> until the result is disposed.</summary>
    public IDisposable Publish(IdleSignal signal)
    {
        Volatile.Write(ref current, signal);
        return new Publication(this, signal);
    }

    private sealed class Publication(RunningOperator owner, IdleSignal signal) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref owner.current, null, signal);
    }
}
