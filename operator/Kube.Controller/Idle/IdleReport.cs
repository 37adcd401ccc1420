namespace Kube.Controller.Idle;

/// <summary>The answer of an <see cref="IdleSignal"/>: idle, or what is still pending.</summary>
public sealed record IdleReport(bool IsIdle, string? Pending)
{
    public static readonly IdleReport Idle = new(true, null);

    public static IdleReport BusyWith(string pending) => new(false, pending);
}
