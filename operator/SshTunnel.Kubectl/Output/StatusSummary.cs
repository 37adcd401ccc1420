using System.Globalization;
using System.Text;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Output;

/// <summary>The human summary <c>status</c> prints: what is in effect, the keys, what the bastion accepts, and the next step.</summary>
public static class StatusSummary
{
    public static string Render(SshTunnelConnection connection, DateTimeOffset now)
    {
        var name = connection.Metadata.Name;
        var status = connection.Status;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SshTunnelConnection {connection.Metadata.NamespaceProperty}/{name}");
        if (status is null)
        {
            text.AppendLine("  No status yet: the operator has not handled this connection.");
            text.AppendLine("Next: make sure the operator runs (kubectl get pods -A -l app.kubernetes.io/name=ssh-tunnel-operator).");
            return text.ToString();
        }

        var spec = connection.Spec.ToParameters();
        var inEffect = status.Connection?.ToString() ?? "none yet";
        text.AppendLine(CultureInfo.InvariantCulture, $"  Connection in effect: {inEffect}");
        if (status.Connection is { } effective && effective != spec)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Spec asks for:        {spec} (not in effect yet)");
        }

        var ready = Find(status, ConditionTypes.Ready);
        var validated = Find(status, ConditionTypes.Validated);
        var secondary = Find(status, ConditionTypes.SecondaryKeyAuthorized);
        text.AppendLine(CultureInfo.InvariantCulture, $"  Ready:                {Describe(ready)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Key 1 (in use):       {status.PublicKey1Fingerprint ?? "not published"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Key 2 (next):         {status.PublicKey2Fingerprint ?? "not published"}");
        text.AppendLine("  The bastion:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    key 1:              {Acceptance(validated)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    key 2:              {Acceptance(secondary)}");
        if (status.HostKeyFingerprint is { } hostKey)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    host key:           {hostKey}");
        }

        var rotation = status.Rotation;
        var last = rotation?.LastRotationTime is { } lastRotation ? $", last {When(lastRotation, now)}" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"  Rotations:            {rotation?.Count ?? 0}{last} (rotate-keys handled: {rotation?.Handled ?? "none"})");
        if (status.LastValidationTime is { } lastValidation)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Last validation:      {When(lastValidation, now)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Next validation:      {(status.NextValidationTime is { } next ? When(next, now) : "none scheduled")}");
        text.AppendLine("Next: " + NextStep(name, connection.Spec.Validate, ready, validated, secondary));
        return text.ToString();
    }

    private static string NextStep(string name, bool validate, Condition? ready, Condition? validated, Condition? secondary)
    {
        var keys = $"kubectl sshtunnel authorized-keys {name}";
        if (ready is { Status: "False", Reason: ConditionReasons.RotationBlocked or ConditionReasons.RotationPending })
        {
            return $"a rotation waits: {ready.Message} The lines to install: {keys}; then kubectl sshtunnel revalidate {name} --wait.";
        }

        if (!validate)
        {
            return $"validation is off, so only you know what the bastion accepts: make sure its authorized_keys holds both keys ({keys}) before kubectl sshtunnel rotate {name} --wait.";
        }

        if (validated is { Status: "False" })
        {
            return $"the bastion refuses key 1 ({validated.Message}). Install the keys ({keys}), then kubectl sshtunnel revalidate {name} --wait.";
        }

        if (secondary is { Status: "False" })
        {
            return $"the bastion refuses key 2, so a rotation would wait (or lock out with guard None). Add it ({keys}), then kubectl sshtunnel revalidate {name} --wait.";
        }

        if (ready is { Status: "False" } && ready.Reason != ConditionReasons.ValidationPending)
        {
            return $"fix what Ready says: {ready.Message}";
        }

        return validated is { Status: "True" } && secondary is { Status: "True" }
            ? $"nothing to fix: the bastion accepts both keys, a rotation is safe (kubectl sshtunnel rotate {name} --wait)."
            : $"wait for the first probe of the bastion (kubectl sshtunnel revalidate {name} --wait asks for one at once).";
    }

    private static Condition? Find(ConnectionStatus status, string type) =>
        status.Conditions.FirstOrDefault(condition => condition.Type == type);

    private static string Describe(Condition? condition) =>
        condition is null ? "not reported" : $"{condition.Status} ({condition.Reason}){(condition.Message.Length > 0 ? ": " + condition.Message : "")}";

    private static string Acceptance(Condition? condition) => condition switch
    {
        { Status: "True" } => "accepted",
        { Status: "False" } => $"refused ({condition.Reason}): {condition.Message}",
        { Reason: ConditionReasons.ValidationDisabled } => "unknown (spec.validate is false: the bastion is never contacted)",
        null => "not reported",
        _ => $"unknown ({condition.Reason})",
    };

    private static string When(DateTimeOffset time, DateTimeOffset now)
    {
        var difference = time - now;
        var relative = difference >= TimeSpan.Zero
            ? "in " + DurationText.Format(difference)
            : DurationText.Format(-difference) + " ago";
        return time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " (" + relative + ")";
    }
}
