using Microsoft.Extensions.Time.Testing;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Tests.Testing;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// <c>spec.rotation.interval</c> through the real operator and the emulator, on a fake clock the
/// operator's decisions and requeue timers run on: the interval's one-hour minimum passes in no time.
/// </summary>
public sealed class ScheduledRotationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private OperatorHarness harness = null!;

    public async Task InitializeAsync() => harness = await OperatorHarness.StartAsync(clock: clock);

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Rotates_when_key_1_is_older_than_the_interval_once_per_interval_and_once_after_an_outage()
    {
        var spec = Spec();
        spec.Rotation = new RotationSpec { Interval = "1h" };
        await harness.CreateAsync("scheduled", spec);
        var created = await harness.WaitAsync("scheduled", connection => HasKeys(connection) && IsReady(connection), "scheduled ready with keys");
        Assert.NotNull(created.Status!.Rotation!.NextRotationTime);
        await harness.WaitForIdleAsync(created.Metadata.ResourceVersion);
        var secret = await harness.GetSecretAsync("scheduled");
        var due = new DateTimeOffset(DateTime.SpecifyKind(secret!.Metadata.CreationTimestamp!.Value, DateTimeKind.Utc)) + TimeSpan.FromHours(1);
        var rotationsBefore = harness.Operator!.Metrics.KeyRotations.Value;

        clock.Advance(due - clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await harness.WaitForIdleAsync(null);
        Assert.Equal(0, (await harness.GetAsync("scheduled")).Status!.Rotation!.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        var rotated = await harness.WaitAsync("scheduled", connection => connection.Status?.Rotation?.Count >= 1, "the scheduled rotation");
        await harness.WaitForIdleAsync(rotated.Metadata.ResourceVersion);

        rotated = await harness.GetAsync("scheduled");
        Assert.Equal(1, rotated.Status!.Rotation!.Count);
        Assert.Equal(created.Status!.PublicKey2, rotated.Status.PublicKey1);
        Assert.Equal(rotated.Status.Rotation.LastRotationTime + TimeSpan.FromHours(1), rotated.Status.Rotation.NextRotationTime);
        var rotatedEvent = (await harness.WaitForEventAsync("scheduled", EventReasons.KeysRotated)).Single(e => e.Reason == EventReasons.KeysRotated);
        Assert.Contains("on schedule", rotatedEvent.Message, StringComparison.Ordinal);
        Assert.Equal(rotationsBefore + 1, harness.Operator.Metrics.KeyRotations.Value);

        await harness.StopOperatorAsync();
        clock.Advance(TimeSpan.FromHours(5));
        await harness.StartOperatorAsync(clock: clock);
        var afterOutage = await harness.WaitAsync("scheduled", connection => connection.Status?.Rotation?.Count >= 2, "the rotation after the outage");
        await harness.WaitForIdleAsync(afterOutage.Metadata.ResourceVersion);

        afterOutage = await harness.GetAsync("scheduled");
        Assert.Equal(2, afterOutage.Status!.Rotation!.Count);
        Assert.Equal("2", (await harness.GetSecretAsync("scheduled"))!.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation]);
        Assert.Equal(afterOutage.Status.Rotation.LastRotationTime + TimeSpan.FromHours(1), afterOutage.Status.Rotation.NextRotationTime);
    }
}
