namespace SshTunnel.Operator.Hosting;

/// <summary>What <see cref="MemoryTrimPolicy"/> asks for in one period.</summary>
public enum MemoryCollection
{
    /// <summary>Nothing to give back.</summary>
    None,

    /// <summary>The first quiet period after a burst.</summary>
    Trim,

    /// <summary>A burst whose committed memory outgrew the last collection by the headroom.</summary>
    Burst,
}
