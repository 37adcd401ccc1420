using System.Diagnostics;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>Waits for a condition to hold; the deadline only ends a hung test, a passing test never reaches it.</summary>
public static class Polling
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task Until(Func<bool> condition, string what, Func<string> lastSeen)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Deadline)
            {
                throw new TimeoutException($"waited {Deadline.TotalSeconds} s for {what}; last seen: {lastSeen()}");
            }

            await Task.Delay(20);
        }
    }
}
