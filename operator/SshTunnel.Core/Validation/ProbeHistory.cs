namespace SshTunnel.Core.Validation;

/// <summary>
/// The latest probe of one resource: what was asked, what the bastion said, and how many
/// probes of the same target (connection, key 1, host key pin) failed in a row, which sets the
/// retry backoff. The operator keeps one per resource in memory and builds it with
/// <see cref="Record"/>; losing it (a restart) only causes one early probe.
/// </summary>
public sealed record ProbeHistory(ProbeRequest Request, ProbeResult Result, int ConsecutiveFailures)
{
    /// <summary>The history after <paramref name="result"/> of <paramref name="request"/> completed.</summary>
    public static ProbeHistory Record(ProbeHistory? previous, ProbeRequest request, ProbeResult result)
    {
        var failures = result.Key1.Authenticated
            ? 0
            : previous is not null && SameTarget(previous.Request, request) ? previous.ConsecutiveFailures + 1 : 1;
        return new ProbeHistory(request, result, failures);
    }

    private static bool SameTarget(ProbeRequest a, ProbeRequest b) =>
        a.Connection == b.Connection && a.PrivateKey1 == b.PrivateKey1 && a.HostKeyPin == b.HostKeyPin;

    /// <summary>Keeps the private keys of <see cref="Request"/> out of logs that print records.</summary>
    public override string ToString() =>
        $"ProbeHistory {{ Connection = {Request.Connection}, Key1 = {Result.Key1.Outcome}, ConsecutiveFailures = {ConsecutiveFailures} }}";
}
