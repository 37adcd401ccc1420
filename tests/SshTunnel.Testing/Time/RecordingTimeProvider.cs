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
        // Recorded once it is running: a test that sees the due time and then advances the clock must find the
        // timer there, or the timer would start after the advance and wait out its whole due time from then.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (dueTimes)
        {
            dueTimes.Add(dueTime);
        }

        return timer;
    }
}
