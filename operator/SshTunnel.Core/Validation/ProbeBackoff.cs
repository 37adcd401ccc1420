namespace SshTunnel.Core.Validation;

/// <summary>How long to wait before probing again a target whose login failed: 10 s, doubling, at most 10 min.</summary>
public static class ProbeBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(10);

    /// <summary>The wait after <paramref name="consecutiveFailures"/> failed probes (1 or more).</summary>
    public static TimeSpan After(int consecutiveFailures)
    {
        var doublings = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var delay = Initial * Math.Pow(2, doublings);
        return delay < Maximum ? delay : Maximum;
    }
}
