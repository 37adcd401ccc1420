using SshTunnel.Core.Model;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// Builds conditions that keep <c>lastTransitionTime</c> while their status stays the same,
/// as <c>meta.SetStatusCondition</c> does, so republishing never looks like a transition.
/// </summary>
internal sealed class ConditionFactory(IReadOnlyList<Condition>? current, long generation, DateTimeOffset now)
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public long Generation => generation;

    public Condition? Current(string type) => current?.FirstOrDefault(c => c.Type == type);

    public Condition Make(string type, string status, string reason, string message)
    {
        var previous = Current(type);
        return new Condition
        {
            Type = type,
            Status = status,
            ObservedGeneration = generation,
            LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : now,
            Reason = reason,
            Message = message,
        };
    }
}
