using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The promotion rule: the spec's connection becomes the connection in effect at once without
/// validation, and only after a successful login with key 1 with validation; <c>known_hosts</c>
/// follows what the bastion of the connection in effect presented.
/// </summary>
internal static class ConnectionPromotion
{
    public static KeySecret Apply(KeySecret content, ConnectionSpec spec, ProbeHistory? matchingProbe, ProbeHistory? lastProbe)
    {
        var desired = spec.ToParameters();
        if (content.Connection != desired && (!spec.Validate || matchingProbe?.Result.Key1.Authenticated == true))
        {
            var sameBastion = content.Connection is { } previous && previous.Host == desired.Host && previous.Port == desired.Port;
            content = content with { Connection = desired, KnownHosts = sameBastion ? content.KnownHosts : null };
        }

        if (lastProbe is { Result: var result } && lastProbe.Request.Connection == content.Connection
            && result.Key1.Outcome != ProbeOutcome.HostKeyMismatch
            && SshPublicKey.TryParse(result.HostKey, out var hostKey, out _))
        {
            content = content with { KnownHosts = KnownHostsLine.Format(lastProbe.Request.Connection, hostKey) };
        }

        return content;
    }
}
