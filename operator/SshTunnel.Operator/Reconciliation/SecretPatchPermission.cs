using Microsoft.Extensions.Logging;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Whether the operator may rotate a key Secret with a JSON patch. The chart has granted
/// <c>patch</c> on Secrets since rotations became patches; roles written by hand, or kept from an
/// earlier chart, may lack it. The first refusal (403) turns the patches off for the rest of the
/// process, which then rotates as before: a read of the Secret and a replace, which the older
/// roles grant.
/// </summary>
internal sealed partial class SecretPatchPermission(ILogger logger)
{
    private int refused;

    public bool Allowed => Volatile.Read(ref refused) == 0;

    /// <summary>Records a 403 on a patch; warns once.</summary>
    public void Refused()
    {
        if (Interlocked.Exchange(ref refused, 1) == 0)
        {
            LogRefused(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patching a key Secret was refused (403): this process now rotates keys by reading and replacing the Secret. Grant the verb patch on secrets, as the chart's roles do, to rotate with one request")]
    private static partial void LogRefused(ILogger logger);
}
