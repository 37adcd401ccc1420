using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

/// <summary><c>spec.rotation.interval</c> on a fake clock: the world's <c>Now</c> is the only time the decisions see.</summary>
public sealed class ScheduledRotationTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private static ReconcileWorld Scheduled(bool validate = false)
    {
        var world = new ReconcileWorld(validate);
        world.ChangeSpec(spec => spec.Rotation = new RotationSpec { Interval = "24h" });
        return world;
    }

    private static DateTimeOffset Created(ReconcileWorld world) => world.Secret!.CreationTimestamp!.Value;

    [Fact]
    public void Rotates_exactly_once_per_interval_and_requeues_at_the_next_rotation_time()
    {
        var world = Scheduled();
        world.Converge();
        var created = Created(world);
        Assert.Equal(created + Day, world.Status!.Rotation!.NextRotationTime);
        Assert.Equal(created + Day - StatusRules.WholeSeconds(world.Now), world.Decide().RequeueAfter);

        world.Now = created + Day - TimeSpan.FromSeconds(1);
        Assert.True(world.Decide().IsEmpty, "not due a second early");
        Assert.Equal(TimeSpan.FromSeconds(1), world.Decide().RequeueAfter);

        for (var interval = 1; interval <= 3; interval++)
        {
            var promoted = KeySecretCodec.Read(world.Secret!).Secret!.Key2;
            world.Now = created + (Day * interval);
            world.Converge();

            Assert.Equal(interval, world.Status.Rotation!.Count);
            Assert.Equal(promoted, KeySecretCodec.Read(world.Secret!).Secret!.Key1);
            Assert.Equal(world.Now, world.Status.Rotation.LastRotationTime);
            Assert.Equal(world.Now + Day, world.Status.Rotation.NextRotationTime);
            Assert.Null(world.Status.Rotation.Handled);

            world.Now += Day - TimeSpan.FromSeconds(1);
            Assert.True(world.Decide().IsEmpty, "one rotation per interval");
        }

        Assert.Equal(3, world.Events.Count(e => e.Reason == EventReasons.KeysRotated));
        Assert.All(world.Events.Where(e => e.Reason == EventReasons.KeysRotated), e => Assert.Contains("on schedule (key 1 was older than spec.rotation.interval 24h)", e.Message));
        Assert.Equal(3, world.RotationsWritten);
    }

    [Fact]
    public void After_an_outage_of_five_intervals_rotates_once_then_an_interval_after_that_rotation()
    {
        var world = Scheduled();
        world.Converge();
        world.Now = Created(world) + (Day * 5) + TimeSpan.FromHours(3);

        world.Converge();
        world.Converge();

        var rotatedAt = StatusRules.WholeSeconds(world.Now);
        Assert.Equal(1, world.Status!.Rotation!.Count);
        Assert.Equal(rotatedAt + Day, world.Status.Rotation.NextRotationTime);
        Assert.Equal(1, world.RotationsWritten);

        world.Now = rotatedAt + Day;
        world.Converge();
        Assert.Equal(2, world.Status.Rotation.Count);
    }

    [Fact]
    public void A_scheduled_rotation_waits_while_the_bastion_refuses_key_2_and_happens_by_itself_once_accepted()
    {
        var world = Scheduled(validate: true);
        world.Step();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Converge();
        var promoted = KeySecretCodec.Read(world.Secret!).Secret!.Key2;
        var secretBefore = world.Secret;
        world.Now = Created(world) + Day;

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secretBefore, world.Secret);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.RotationBlocked), (ready.Status, ready.Reason));
        Assert.Contains("The scheduled rotation (key 1 is older than spec.rotation.interval 24h) waits: the bastion refuses key 2", ready.Message);
        Assert.Contains(world.Status.PublicKey2Fingerprint!, ready.Message);
        Assert.Single(plan.Events, e => e.Reason == EventReasons.RotationBlocked);
        Assert.Equal(0, world.Status.Rotation!.Count);

        world.Bastion.Authorize(world.Status.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(1);
        world.Converge();

        Assert.Equal(1, world.Status.Rotation!.Count);
        Assert.Equal(promoted, KeySecretCodec.Read(world.Secret!).Secret!.Key1);
        Assert.Equal(StatusRules.WholeSeconds(world.Now) + Day, world.Status.Rotation.NextRotationTime);
        Assert.Single(world.Events, e => e.Reason == EventReasons.KeysRotated);
        Assert.Equal(1, world.RotationsWritten);
    }

    [Fact]
    public void A_bump_in_between_starts_the_interval_again()
    {
        var world = Scheduled();
        world.Converge();
        var firstDue = Created(world) + Day;
        world.Now += TimeSpan.FromHours(10);
        world.RotateKeys = "1";
        world.Converge();
        var bumpedAt = StatusRules.WholeSeconds(world.Now);
        Assert.Equal(("1", 1L), (world.Status!.Rotation!.Handled, world.Status.Rotation.Count));
        Assert.Equal(bumpedAt + Day, world.Status.Rotation.NextRotationTime);
        Assert.Contains(world.Events, e => e.Reason == EventReasons.KeysRotated && e.Message.Contains("for sshtunnels.io/rotate-keys=1", StringComparison.Ordinal));

        world.Now = firstDue;
        Assert.True(world.Decide().IsEmpty, "the bump reset the schedule");

        world.Now = bumpedAt + Day;
        world.Converge();
        Assert.Equal(("1", 2L), (world.Status.Rotation.Handled, world.Status.Rotation.Count));
    }

    [Fact]
    public void Without_an_interval_nothing_rotates_by_itself()
    {
        var world = Scheduled();
        world.Converge();
        world.ChangeSpec(spec => spec.Rotation = new RotationSpec());
        world.Converge();
        Assert.Null(world.Status!.Rotation!.NextRotationTime);

        world.Now += Day * 10;

        var plan = world.Decide();
        Assert.True(plan.IsEmpty);
        Assert.Null(plan.RequeueAfter);
        Assert.Equal(0, world.Status.Rotation.Count);
    }
}
