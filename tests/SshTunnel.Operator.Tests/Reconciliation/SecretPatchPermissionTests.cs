using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SshTunnel.Operator.Reconciliation;

namespace SshTunnel.Operator.Tests.Reconciliation;

public sealed class SecretPatchPermissionTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero));
    private readonly WarningCounter warnings = new();

    [Fact]
    public void A_refusal_turns_the_patches_off_until_the_retry_time_then_one_is_tried_again()
    {
        var permission = new SecretPatchPermission(clock, warnings);
        Assert.True(permission.Allowed);

        permission.Refused();
        Assert.False(permission.Allowed);
        clock.Advance(SecretPatchPermission.RetryAfter - TimeSpan.FromSeconds(1));
        Assert.False(permission.Allowed);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(permission.Allowed);
    }

    [Fact]
    public void Refusals_within_one_period_warn_once_and_a_refusal_after_it_warns_again()
    {
        var permission = new SecretPatchPermission(clock, warnings);

        // Several workers may have had a patch in flight when the first refusal came back.
        permission.Refused();
        permission.Refused();
        Assert.Equal(1, warnings.Count);

        clock.Advance(SecretPatchPermission.RetryAfter);
        permission.Refused();
        Assert.Equal(2, warnings.Count);
        Assert.False(permission.Allowed);
    }

    private sealed class WarningCounter : ILogger
    {
        public int Count { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Count++;
            }
        }
    }
}
