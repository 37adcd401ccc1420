namespace Kube.Controller.Idle;

/// <summary>A part of the controller that can have work pending: the work queue, a probe runner, an event writer.</summary>
public interface IIdleParticipant
{
    /// <summary>
    /// A number that changes with every change of what is pending, so that two equal readings
    /// around a check prove the check saw one consistent state.
    /// </summary>
    long Activity { get; }

    /// <summary>Null when nothing is pending at <paramref name="now"/>; else what is pending, in words.</summary>
    string? Busy(DateTimeOffset now);
}
