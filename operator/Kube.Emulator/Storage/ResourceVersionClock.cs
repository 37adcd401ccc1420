namespace Kube.Emulator.Storage;

/// <summary>The cluster-wide, monotonic resourceVersion counter (etcd's revision).</summary>
internal sealed class ResourceVersionClock
{
    private long current;

    public long Current => Volatile.Read(ref current);

    public long Next() => Interlocked.Increment(ref current);
}
