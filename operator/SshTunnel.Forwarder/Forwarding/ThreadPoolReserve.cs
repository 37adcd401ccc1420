namespace SshTunnel.Forwarder.Forwarding;

/// <summary>
/// SSH.NET serves each forwarded connection with blocking socket calls on a thread-pool thread
/// for the connection's whole life. Past its minimum, the pool adds a thread only every half
/// second or so while starved, so a burst of connections would hold up everything else queued on
/// it (the relays, new accepts, /readyz). Keeping the minimum above the open connections lets the
/// pool start those threads at once; idle ones above the configured minimum retire by themselves.
/// </summary>
public static class ThreadPoolReserve
{
    /// <summary>Threads kept free for the relays, the accepts and the health endpoints.</summary>
    private static readonly int Spare = Environment.ProcessorCount + 8;

    /// <summary>The minimum grows in steps, not on every connection.</summary>
    private const int Step = 16;

    private static int open;

    /// <summary>Counts one more connection blocking a pool thread until the returned lease is disposed.</summary>
    public static IDisposable Hold()
    {
        var count = Interlocked.Increment(ref open);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (count + Spare > workers)
        {
            ThreadPool.SetMinThreads(count + Spare + Step, completionPorts);
        }

        return new Lease();
    }

    private sealed class Lease : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref open);
            }
        }
    }
}
