namespace SshTunnel.Operator.Hosting;

/// <summary>Measures the time from process start (of Main) to readiness.</summary>
public sealed class StartupClock(TimeProvider timeProvider)
{
    private readonly long started = timeProvider.GetTimestamp();

    public TimeSpan Elapsed => timeProvider.GetElapsedTime(started);
}
