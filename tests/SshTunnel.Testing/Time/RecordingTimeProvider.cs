using Microsoft.Extensions.Time.Testing;

namespace SshTunnel.Testing.Time;

/// <summary>
/// A fake clock that also records every timer the code under test starts, so a test can wait
/// for the real signal "it is now waiting out a delay" (for example a retry backoff) before it
/// asserts that nothing happened, instead of sleeping.
/// </summary>
public sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> dueTimes = [];

    /// <summary>The due times of the timers started so far, in order (<c>Task.Delay</c> starts one per call).</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (dueTimes)
            {
                return [.. dueTimes];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (dueTimes)
        {
            dueTimes.Add(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
