using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The Ready rule and the words users read: Ready is True only when the keys are published and
/// the spec's connection is in effect (and accepted, with validation); otherwise its reason is
/// the first problem and its message names every problem and what to do about it.
/// </summary>
internal static class ReadyMessages
{
    public static Condition Ready(
        ConditionFactory conditions,
        KeySecret content,
        ConnectionParameters desired,
        bool validate,
        RotationToken token,
        ValidationView validation)
    {
        var problems = new List<(string Reason, string Message)>();
        if (token.Problem is { } tokenProblem)
        {
            problems.Add((ConditionReasons.InvalidRotationToken, TokenMessage(tokenProblem, content.Rotation.Handled)));
        }

        var validated = validation.Validated;
        if (validate && content.Connection != desired)
        {
            var inEffect = content.Connection is { } previous
                ? $"The connection in effect stays {Describe(previous)}."
                : "No connection is in effect yet.";
            problems.Add(validated.Status == ConditionFactory.False
                ? (ConditionReasons.ValidationFailed, $"The connection {Describe(desired)} is not in effect yet. {validated.Message} {inEffect}")
                : (ConditionReasons.ValidationPending, $"The connection {Describe(desired)} takes effect after a successful login with key 1 (status.publicKey1 must be in the bastion's authorized_keys for {desired.User}). {inEffect}"));
        }
        else if (validate && validated.Status == ConditionFactory.False)
        {
            problems.Add((ConditionReasons.ValidationFailed, $"The connection {Describe(desired)} is in effect but key 1 is not accepted. {validated.Message}"));
        }

        if (problems.Count > 0)
        {
            return conditions.Make(ConditionTypes.Ready, ConditionFactory.False, problems[0].Reason, string.Join(" ", problems.Select(p => p.Message)));
        }

        var detail = !validate
            ? "validation is disabled"
            : validated.Status == ConditionFactory.True ? "key 1 is authorized" : "re-validation is pending";
        return conditions.Make(ConditionTypes.Ready, ConditionFactory.True, ConditionReasons.Reconciled, $"Keys published; the connection {Describe(desired)} is in effect; {detail}.");
    }

    public static string TokenMessage(string tokenProblem, string? handled) =>
        $"The keys were not rotated: {tokenProblem}." + (handled is null ? "" : $" The last handled value is {handled}; set a greater integer to rotate.");

    public static string Describe(ConnectionParameters connection) => $"{connection.User}@{connection.Host}:{connection.Port}";
}
