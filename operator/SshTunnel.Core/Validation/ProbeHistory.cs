namespace SshTunnel.Core.Validation;

/// <summary>
/// The latest probe of one resource: what was asked, what the bastion said, and how many
/// probes of the same target (connection, keys, host key pin) in a row found something wrong
/// (a key refused, no answer, a host key mismatch), which sets the re-check backoff. The
/// operator keeps one per resource in memory and builds it with <see cref="Record"/>; losing
/// it (a restart) only restarts the backoff.
/// </summary>
public sealed record ProbeHistory(ProbeRequest Request, ProbeResult Result, int ConsecutiveFailures)
{
    /// <summary>Whether the bastion accepted both keys: nothing to re-check before the re-validation interval.</summary>
    public bool AllKeysAccepted => Result.Key1.Authenticated && (Result.Key2?.Authenticated ?? Request.PrivateKey2 is null);

    /// <summary>The history after <paramref name="result"/> of <paramref name="request"/> completed.</summary>
    public static ProbeHistory Record(ProbeHistory? previous, ProbeRequest request, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recorded = new ProbeHistory(request, result, 0);
        return recorded.AllKeysAccepted
            ? recorded
            : recorded with { ConsecutiveFailures = previous is not null && previous.Request.SameTargetAs(request) ? previous.ConsecutiveFailures + 1 : 1 };
    }

    /// <summary>Keeps the private keys of <see cref="Request"/> out of logs that print records.</summary>
    public override string ToString() =>
        $"ProbeHistory {{ Connection = {Request.Connection}, Key1 = {Result.Key1.Outcome}, Key2 = {Result.Key2?.Outcome.ToString() ?? "not tried"}, ConsecutiveFailures = {ConsecutiveFailures} }}";
}
