namespace SshTunnel.Operator.Hosting;

/// <summary>What <see cref="IdleMemoryTrimmer"/> reads each period.</summary>
/// <param name="AllocatedBytes">Bytes allocated since the process started.</param>
/// <param name="CommittedBytes">The GC's committed memory as of its last collection.</param>
public readonly record struct MemoryReading(long AllocatedBytes, long CommittedBytes)
{
    /// <summary>This process's figures.</summary>
    public static MemoryReading Current() =>
        new(GC.GetTotalAllocatedBytes(), GC.GetGCMemoryInfo().TotalCommittedBytes);
}
