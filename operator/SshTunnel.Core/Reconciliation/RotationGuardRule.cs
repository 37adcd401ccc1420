using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The rotation guard (<c>spec.rotation.guard: SecondaryKeyAuthorized</c>, the default, with
/// <c>spec.validate</c>): a rotation makes key 2 the only key in use, so it waits while the
/// latest probe says the bastion refuses key 2, and until key 2 was probed at all (a rotation
/// right after another one would otherwise promote a key nobody could have installed yet).
/// The bump stays pending and is carried out by itself once the bastion accepts key 2. Without
/// validation nothing is known: the rotation happens at once.
/// </summary>
internal static class RotationGuardRule
{
    /// <summary>Why the pending rotation waits, as a Ready problem; null when it may go ahead or none is pending.</summary>
    public static (string Reason, string Message)? Check(ReconcileInput input, KeySecret content, RotationToken token, ConditionFactory conditions)
    {
        var resource = input.Resource;
        var spec = resource.Spec;
        if (!spec.Validate || spec.Guard == RotationGuard.None || !token.IsNewerThan(content.Rotation.Handled))
        {
            return null;
        }

        var probe = ProbeSchedule.Matching(input, ProbeSchedule.Request(resource, content));
        var key2 = ValidationView.Of(spec, content, resource.Status, probe, conditions).SecondaryKeyAuthorized;
        var asked = $"The rotation asked by {ResourceNames.RotateKeysAnnotation}={token.Raw} waits";
        var install = $"install key 2 ({Fingerprint(content.Key2)}, the line \"{content.Key2.PublicKey}\" in status.publicKey2) in the bastion's authorized_keys for {spec.User} on {spec.ToParameters().Endpoint}";
        return key2 switch
        {
            { Status: ConditionFactory.False, Reason: nameof(ProbeOutcome.AuthenticationFailed) } => (
                ConditionReasons.RotationBlocked,
                $"{asked}: the bastion refuses key 2, which the rotation would make the only key in use, so it would lock the connection out. To go ahead, {install}; the rotation then happens by itself within a minute. Or set spec.rotation.guard: None to rotate anyway."),
            { Status: ConditionFactory.Unknown, Reason: ConditionReasons.ValidationPending } => (
                ConditionReasons.RotationPending,
                $"{asked} for the bastion's answer about key 2 ({Fingerprint(content.Key2)}), which the rotation would make the only key in use; a probe is under way."),
            _ => null,
        };
    }

    private static string Fingerprint(KeyPair pair) =>
        SshPublicKey.TryParse(pair.PublicKey, out var key, out _) ? key.Fingerprint : "unreadable";
}
