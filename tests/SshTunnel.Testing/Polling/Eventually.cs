using System.Diagnostics;

namespace SshTunnel.Testing.Polling;

/// <summary>
/// Polls a condition until it holds. The deadline only stops a hung test: a passing test never
/// waits for it, so it is generous, and a failure names what was awaited and the last value seen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> accepts its value, and returns that value.
    /// <paramref name="describe"/> renders the last value for the failure message (default: ToString).
    /// </summary>
    public static async Task<T> Until<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        string what,
        TimeSpan? timeout = null,
        Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        var polls = 0;
        while (true)
        {
            var last = await probe().ConfigureAwait(false);
            polls++;
            if (done(last))
            {
                return last;
            }

            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                var seen = describe is null ? last?.ToString() ?? "null" : describe(last);
                throw new TimeoutException(
                    $"Timed out after {limit.TotalSeconds:0.#} s ({polls} polls) waiting for {what}; the last value seen: {seen}");
            }

            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, ok => ok, what, timeout, _ => "false");

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), what, timeout);
}
