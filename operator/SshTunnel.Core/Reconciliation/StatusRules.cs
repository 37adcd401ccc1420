using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The status rule: the whole status is rebuilt from the Secret's content and the probe, never
/// patched, so it can always be recomputed; times are whole seconds, as the API server keeps them.
/// </summary>
internal static class StatusRules
{
    public static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static ConnectionStatus Build(
        ConnectionResource resource,
        ConditionFactory conditions,
        KeySecret content,
        RotationToken token,
        ProbeHistory? probe,
        (string Reason, string Message)? rotationWaits)
    {
        var spec = resource.Spec;
        var desired = spec.ToParameters();
        var current = resource.Status;
        var validation = ValidationView.Of(spec, content, current, probe, conditions);
        var ready = ReadyMessages.Ready(conditions, content, desired, spec.Validate, token, rotationWaits, validation);

        return new ConnectionStatus
        {
            ObservedGeneration = resource.Generation,
            PublicKey1 = content.Key1.PublicKey,
            PublicKey2 = content.Key2.PublicKey,
            PublicKey1Fingerprint = Fingerprint(content.Key1),
            PublicKey2Fingerprint = Fingerprint(content.Key2),
            Rotation = content.Rotation,
            Connection = content.Connection,
            HostKeyFingerprint = HostKeyFingerprint(content, desired, probe, spec.Validate),
            LastValidationTime = validation.LastValidationTime,
            Conditions = KstatusConditions.With(conditions, ready, [validation.Validated, validation.SecondaryKeyAuthorized]),
        };
    }

    private static string? Fingerprint(KeyPair pair) =>
        SshPublicKey.TryParse(pair.PublicKey, out var key, out _) ? key.Fingerprint : null;

    private static string? HostKeyFingerprint(KeySecret content, ConnectionParameters desired, ProbeHistory? probe, bool validate)
    {
        if (validate && probe?.Result.HostKeyFingerprint is { } presented)
        {
            return presented;
        }

        return content.Connection == desired && content.KnownHosts is { } line
            && SshPublicKey.TryParse(line.Split(' ', 2)[^1], out var hostKey, out _)
            ? hostKey.Fingerprint
            : null;
    }
}
