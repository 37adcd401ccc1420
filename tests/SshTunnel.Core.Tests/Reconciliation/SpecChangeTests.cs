using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class SpecChangeTests
{
    private static readonly ConnectionParameters Original = new("bastion.example.com", 22, "materialize");
    private static readonly ConnectionParameters Moved = new("bastion-2.example.com", 2222, "mz");

    private static ReconcileWorld Validated()
    {
        var world = new ReconcileWorld(validate: true);
        world.Converge();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Bastion.Authorize(world.Status.PublicKey2);
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();
        Assert.Equal(Original, world.Status.Connection);
        return world;
    }

    private static void MoveSpec(ReconcileWorld world) => world.ChangeSpec(spec =>
    {
        spec.Host = Moved.Host;
        spec.Port = Moved.Port;
        spec.User = Moved.User;
    });

    [Fact]
    public void Without_validation_all_fields_move_together_in_one_write()
    {
        var world = new ReconcileWorld();
        world.Converge();
        MoveSpec(world);

        var plans = world.Converge();

        Assert.Equal(1, plans.Count(p => p.SecretWrite is not null));
        Assert.Equal(Moved, world.Status!.Connection);
        Assert.Equal(("bastion-2.example.com", "2222", "mz"), (world.SecretText("host"), world.SecretText("port"), world.SecretText("user")));
        Assert.Equal(2, world.Status.ObservedGeneration);
        Assert.All(world.Status.Conditions, c => Assert.Equal(2, c.ObservedGeneration));
        var changed = Assert.Single(plans[0].Events);
        Assert.Equal("The connection in effect is now mz@bastion-2.example.com:2222 (was materialize@bastion.example.com:22).", changed.Message);
    }

    [Fact]
    public void Resetting_the_port_brings_back_22()
    {
        var world = new ReconcileWorld();
        world.ChangeSpec(spec => spec.Port = 2222);
        world.Converge();

        world.ChangeSpec(spec => spec.Port = ConnectionSpec.DefaultPort);
        world.Converge();

        Assert.Equal("22", world.SecretText("port"));
        Assert.Equal(22, world.Status!.Connection!.Port);
    }

    [Fact]
    public void A_spec_change_that_does_not_change_the_connection_only_updates_observed_generation()
    {
        var world = new ReconcileWorld();
        world.Converge();
        world.ChangeSpec(spec => spec.HostKey = FakeBastion.HostKeyLine);

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Empty(plan.Events);
        Assert.Equal(2, world.Status!.ObservedGeneration);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void With_validation_the_previous_connection_stays_until_the_new_one_authenticates()
    {
        var world = Validated();
        var secretBefore = world.Secret;
        MoveSpec(world);

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secretBefore, world.Secret);
        Assert.Equal(Original, world.Status!.Connection);
        Assert.Equal(Moved, plan.Probe!.Connection);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ValidationPending), (ready.Status, ready.Reason));
        Assert.Contains("The connection in effect stays materialize@bastion.example.com:22.", ready.Message);
    }

    [Fact]
    public void With_validation_a_failed_login_keeps_the_previous_connection_and_shows_the_bastion_message()
    {
        var world = Validated();
        world.Bastion.AuthorizedKeys.Clear();
        MoveSpec(world);
        world.RunProbe(world.Step());

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(Original, world.Status!.Connection);
        Assert.Equal("bastion.example.com", world.SecretText("host"));
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ValidationFailed), (ready.Status, ready.Reason));
        Assert.Contains("Permission denied (publickey). Add status.publicKey1 to the bastion's authorized_keys for mz.", ready.Message);
        Assert.Contains("stays materialize@bastion.example.com:22", ready.Message);
        var validated = world.Condition(ConditionTypes.Validated);
        Assert.Equal(("False", "AuthenticationFailed"), (validated.Status, validated.Reason));
        Assert.Contains(plan.Events, e => e is { Type: EventType.Warning, Reason: EventReasons.ValidationFailed });
        Assert.Equal(ReconcileWorld.Recheck.Initial, plan.RequeueAfter);
    }

    [Fact]
    public void With_validation_the_new_connection_takes_effect_in_one_write_after_a_successful_login()
    {
        var world = Validated();
        MoveSpec(world);
        world.RunProbe(world.Step());

        var plan = world.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWrite!.Kind);
        Assert.Equal(Moved, world.Status!.Connection);
        Assert.Equal(("bastion-2.example.com", "2222", "mz"), (world.SecretText("host"), world.SecretText("port"), world.SecretText("user")));
        Assert.Equal("[bastion-2.example.com]:2222 " + FakeBastion.HostKeyLine, world.SecretText("known_hosts").TrimEnd('\n'));
        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
        Assert.Contains(plan.Events, e => e.Reason == EventReasons.ConnectionChanged);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_successful_probe_of_other_parameters_does_not_apply_the_spec()
    {
        var world = Validated();
        var probeOfOriginal = world.LastProbe!;
        MoveSpec(world);
        world.Step();
        world.LastProbe = probeOfOriginal;

        var plan = world.Decide();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(Moved, plan.Probe!.Connection);
    }

    [Fact]
    public void A_result_that_reports_other_parameters_than_requested_does_not_apply_the_spec()
    {
        var world = Validated();
        MoveSpec(world);
        world.RunProbe(world.Step());
        world.LastProbe = world.LastProbe! with { Result = world.LastProbe.Result with { Connection = Original } };

        var plan = world.Decide();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(Moved, plan.Probe!.Connection);
    }

    [Fact]
    public void Reverting_the_spec_before_validation_cancels_the_pending_change()
    {
        var world = Validated();
        world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
        MoveSpec(world);
        world.RunProbe(world.Step());
        world.Step();

        world.ChangeSpec(spec =>
        {
            spec.Host = Original.Host;
            spec.Port = Original.Port;
            spec.User = Original.User;
        });
        world.Bastion.Failure = null;
        world.Converge();

        Assert.Equal(Original, world.Status!.Connection);
        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
    }

    [Fact]
    public void Turning_validation_off_applies_a_pending_change_at_once()
    {
        var world = Validated();
        world.Bastion.Failure = ProbeOutcome.Timeout;
        MoveSpec(world);
        world.RunProbe(world.Step());
        world.Step();

        world.ChangeSpec(spec => spec.Validate = false);
        var plans = world.Converge();

        Assert.Equal(Moved, world.Status!.Connection);
        Assert.All(plans, p => Assert.Null(p.Probe));
        Assert.False(world.Secret!.Data.ContainsKey(KeySecretLayout.KnownHosts), "known_hosts of the previous bastion is dropped");
        Assert.Equal(ConditionReasons.ValidationDisabled, world.Condition(ConditionTypes.Validated).Reason);
    }

    [Fact]
    public void A_new_resource_with_validation_publishes_its_connection_only_after_the_login()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
        world.RunProbe(world.Step());
        world.Step();
        Assert.Null(world.Status!.Connection);
        Assert.Contains("Connection refused", world.Condition(ConditionTypes.Ready).Message);

        world.Bastion.Failure = null;
        world.Bastion.Authorize(world.Status.PublicKey1);
        world.Now += ReconcileWorld.Recheck.Initial;
        world.Converge();

        Assert.Equal(Original, world.Status.Connection);
    }
}
