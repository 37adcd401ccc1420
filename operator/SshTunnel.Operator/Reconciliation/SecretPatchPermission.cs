using Microsoft.Extensions.Logging;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Whether the operator may rotate a key Secret with a JSON patch. The chart has granted
/// <c>patch</c> on Secrets since rotations became patches; roles written by hand, or kept from an
/// earlier chart, may lack it. A refusal (403) turns the patches off for <see cref="RetryAfter"/>:
/// meanwhile the operator rotates as before, with a read of the Secret and a replace, which the
/// older roles grant. Then one patch is tried again, so roles fixed later (or applied after the
/// new operator started, in an upgrade) are picked up without a restart.
/// </summary>
internal sealed partial class SecretPatchPermission(TimeProvider timeProvider, ILogger logger)
{
    /// <summary>How long a refusal holds: one refused request per this long is all roles without the verb cost.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(10);

    private long refusedUntilTicks;

    public bool Allowed => timeProvider.GetUtcNow().UtcTicks >= Interlocked.Read(ref refusedUntilTicks);

    /// <summary>Records a 403 on a patch; warns once per refusal period.</summary>
    public void Refused()
    {
        var now = timeProvider.GetUtcNow();
        var previous = Interlocked.Exchange(ref refusedUntilTicks, (now + RetryAfter).UtcTicks);
        if (now.UtcTicks >= previous)
        {
            LogRefused(logger, RetryAfter.TotalMinutes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patching a key Secret was refused (403): for the next {Minutes} minutes this process rotates keys by reading and replacing the Secret. Grant the verb patch on secrets, as the chart's roles do, to rotate with one request")]
    private static partial void LogRefused(ILogger logger, double minutes);
}
