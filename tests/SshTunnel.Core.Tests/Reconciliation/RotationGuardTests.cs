using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class RotationGuardTests
{
    /// <summary>Validated, with key 1 accepted and key 2 refused: a rotation now would lock the connection out.</summary>
    private static ReconcileWorld Key2Refused(RotationGuard guard = RotationGuard.SecondaryKeyAuthorized)
    {
        var world = new ReconcileWorld(validate: true, rotateKeys: "100");
        world.ChangeSpec(spec => spec.Rotation = new RotationSpec { Guard = guard });
        world.Step();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Converge();
        Assert.Equal(("True", "False"), (world.Condition(ConditionTypes.Validated).Status, world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status));
        return world;
    }

    [Fact]
    public void A_bump_while_the_bastion_refuses_key_2_is_blocked_and_names_the_key_to_install()
    {
        var world = Key2Refused();
        var secretBefore = world.Secret;
        var key2 = KeySecretCodec.Read(world.Secret!).Secret!.Key2;
        world.RotateKeys = "101";

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secretBefore, world.Secret);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.RotationBlocked), (ready.Status, ready.Reason));
        Assert.Contains("sshtunnels.io/rotate-keys=101 waits: the bastion refuses key 2", ready.Message);
        Assert.Contains(world.Status!.PublicKey2Fingerprint!, ready.Message);
        Assert.Contains($"\"{key2.PublicKey}\"", ready.Message);
        Assert.Contains("spec.rotation.guard: None", ready.Message);
        Assert.Equal("100", world.Status.Rotation!.Handled);
        var blocked = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.RotationBlocked), (blocked.Type, blocked.Reason));
        Assert.Equal(ReconcileWorld.Recheck.After(1), world.Decide().RequeueAfter);
        Assert.True(world.Decide().IsEmpty, "blocked once, said once");
    }

    [Fact]
    public void The_blocked_bump_is_carried_out_by_itself_once_the_recheck_finds_key_2_accepted()
    {
        var world = Key2Refused();
        var promoted = KeySecretCodec.Read(world.Secret!).Secret!.Key2;
        world.RotateKeys = "101";
        world.Step();

        world.Bastion.Authorize(world.Status!.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(1);
        world.Converge();

        Assert.Equal(new RotationStatus { Handled = "101", Count = 1, LastRotationTime = world.Status.Rotation!.LastRotationTime }, world.Status.Rotation);
        Assert.Equal(promoted, KeySecretCodec.Read(world.Secret!).Secret!.Key1);
        Assert.Equal(("True", "True"), (world.Condition(ConditionTypes.Ready).Status, world.Condition(ConditionTypes.Validated).Status));
        Assert.Single(world.Events, e => e.Reason == EventReasons.KeysRotated);
        Assert.Equal(1, world.RotationsWritten);
    }

    [Fact]
    public void Two_bumps_while_blocked_rotate_once()
    {
        var world = Key2Refused();
        world.RotateKeys = "101";
        world.Step();
        world.RotateKeys = "102";
        world.Step();

        world.Bastion.Authorize(world.Status!.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(2);
        world.Converge();

        Assert.Equal(("102", 1L), (world.Status.Rotation!.Handled, world.Status.Rotation.Count));
    }

    [Fact]
    public void A_bump_right_after_a_rotation_waits_for_the_probe_of_the_new_key_2()
    {
        var world = Key2Refused();
        world.Bastion.Authorize(world.Status!.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(1);
        world.Converge();
        world.RotateKeys = "101";
        var rotation = world.Step();
        Assert.NotNull(rotation.Probe);
        world.RotateKeys = "102";

        var waiting = world.Step();

        Assert.Null(waiting.SecretWrite);
        Assert.Equal(ConditionReasons.RotationPending, world.Condition(ConditionTypes.Ready).Reason);
        world.RunProbe(rotation);
        world.Step();
        Assert.Equal(ConditionReasons.RotationBlocked, world.Condition(ConditionTypes.Ready).Reason);
        Assert.Equal(1, world.Status!.Rotation!.Count);
    }

    [Fact]
    public void With_guard_None_a_bump_rotates_at_once()
    {
        var world = Key2Refused(RotationGuard.None);
        world.RotateKeys = "101";

        var plan = world.Step();

        Assert.NotNull(plan.SecretWrite);
        Assert.Equal(1, world.Status!.Rotation!.Count);
    }

    [Fact]
    public void Without_validation_a_bump_rotates_at_once()
    {
        var world = new ReconcileWorld(validate: false, rotateKeys: "100");
        world.Converge();
        world.RotateKeys = "101";

        Assert.NotNull(world.Step().SecretWrite);
        Assert.Equal(1, world.Status!.Rotation!.Count);
    }
}
