namespace SshTunnel.Operator.Probing;

/// <summary>
/// Bounds of one bastion probe: how long one SSH login may wait for the bastion, how many
/// times a transient failure is tried, and how long the whole probe may take.
/// </summary>
public sealed class BastionProbeOptions
{
    /// <summary>The longest one login (TCP connect, banner, key exchange, authentication) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a probe is tried when it ends in a transient outcome (1 means no retry).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest a whole probe may take, retries and their delays included.</summary>
    public TimeSpan MaxTotal { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The key exchange offered first; the others stay offered after it, so a bastion without it
    /// still negotiates one. curve25519-sha256 costs the probe a fraction of the CPU of SSH.NET's
    /// first choices (ML-KEM or sntrup761 hybrids, in managed code), and a probe's session carries
    /// nothing but the login. Null keeps SSH.NET's order.
    /// </summary>
    public string? PreferredKeyExchange { get; set; } = "curve25519-sha256";

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxTotal, TimeSpan.Zero, nameof(MaxTotal));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBaseDelay, TimeSpan.Zero, nameof(RetryBaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryBaseDelay, nameof(RetryMaxDelay));
    }
}
