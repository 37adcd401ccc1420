using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class ValidationTests
{
    private static ReconcileWorld Authorized(bool key2 = true)
    {
        var world = new ReconcileWorld(validate: true);
        world.Step();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        if (key2)
        {
            world.Bastion.Authorize(world.Status.PublicKey2);
        }

        world.Converge();
        return world;
    }

    [Fact]
    public void A_successful_probe_publishes_host_key_validation_time_and_known_hosts()
    {
        var world = Authorized();

        Assert.Equal(("True", ConditionReasons.Authenticated), (world.Condition(ConditionTypes.Validated).Status, world.Condition(ConditionTypes.Validated).Reason));
        Assert.Equal(("True", ConditionReasons.Authenticated), (world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status, world.Condition(ConditionTypes.SecondaryKeyAuthorized).Reason));
        Assert.Equal(FakeBastion.Fingerprint(FakeBastion.HostKeyLine), world.Status!.HostKeyFingerprint);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), world.Status.LastValidationTime);
        Assert.Equal("bastion.example.com " + FakeBastion.HostKeyLine + "\n", world.SecretText(KeySecretLayout.KnownHosts));
        Assert.Contains("key 1 is authorized", world.Condition(ConditionTypes.Ready).Message);
    }

    [Fact]
    public void A_validated_connection_is_probed_again_after_the_revalidation_interval()
    {
        var world = Authorized();
        var settled = world.Decide();
        Assert.True(settled.IsEmpty);
        Assert.Equal(ReconcileInput.DefaultRevalidationInterval, settled.RequeueAfter);

        world.Now += ReconcileInput.DefaultRevalidationInterval;
        var due = world.Decide();

        Assert.NotNull(due.Probe);
        Assert.Null(due.SecretWrite);
        Assert.Null(due.Status);
    }

    [Fact]
    public void Periodic_revalidation_that_fails_makes_Ready_False_with_the_bastion_message()
    {
        var world = Authorized();
        world.Bastion.AuthorizedKeys.Clear();
        world.Now += ReconcileInput.DefaultRevalidationInterval;

        world.Converge();

        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ValidationFailed), (ready.Status, ready.Reason));
        Assert.Contains("is in effect but key 1 is not accepted", ready.Message);
        Assert.Contains("Permission denied (publickey).", ready.Message);
        Assert.NotNull(world.Status!.Connection);
    }

    [Theory]
    [InlineData(ProbeOutcome.ConnectionRefused)]
    [InlineData(ProbeOutcome.Timeout)]
    [InlineData(ProbeOutcome.AuthenticationFailed)]
    public void Anything_wrong_is_probed_again_on_the_short_recheck_backoff(ProbeOutcome failure)
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = failure == ProbeOutcome.AuthenticationFailed ? null : failure;
        var waits = new List<TimeSpan?>();

        for (var attempt = 0; attempt < 7; attempt++)
        {
            world.RunProbe(world.Step());
            var plan = world.Step();
            waits.Add(plan.RequeueAfter);
            Assert.Equal(StatusAt(world.LastProbe!.Result.CompletedAt + plan.RequeueAfter!.Value), world.Status!.NextValidationTime);
            world.Now += plan.RequeueAfter!.Value;
        }

        Assert.Equal(
            new TimeSpan?[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60) },
            waits);
        Assert.Equal(7, world.LastProbe!.ConsecutiveFailures);
    }

    [Fact]
    public void A_refused_key_2_alone_is_rechecked_until_it_is_installed_then_the_interval_returns()
    {
        var world = Authorized(key2: false);
        Assert.Equal(ReconcileWorld.Recheck.After(1), world.Decide().RequeueAfter);

        world.Bastion.Authorize(world.Status!.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(1);
        world.Converge();

        Assert.Equal("True", world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status);
        Assert.Equal(ReconcileInput.DefaultRevalidationInterval, world.Decide().RequeueAfter);
        Assert.Equal(StatusAt(world.LastProbe!.Result.CompletedAt + ReconcileInput.DefaultRevalidationInterval), world.Status.NextValidationTime);
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.Timeout;
        world.RunProbe(world.Step());
        world.Step();
        world.Now += ReconcileWorld.Recheck.Initial;
        world.RunProbe(world.Step());
        Assert.Equal(2, world.LastProbe!.ConsecutiveFailures);

        world.Bastion.Failure = null;
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Bastion.Authorize(world.Status.PublicKey2);
        world.Now += ReconcileWorld.Recheck.After(2);
        world.RunProbe(world.Decide());

        Assert.Equal(0, world.LastProbe.ConsecutiveFailures);
    }

    [Fact]
    public void A_new_revalidate_value_probes_at_once_and_is_recorded_as_handled()
    {
        var world = Authorized();
        world.Revalidate = "1764200000";

        var plan = world.Decide();

        Assert.Equal("1764200000", plan.Probe!.RevalidateToken);
        world.RunProbe(plan);
        world.Step();
        Assert.Equal("1764200000", world.Status!.Revalidation!.Handled);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_revalidate_value_asked_while_a_probe_runs_is_probed_after_it()
    {
        var world = Authorized();
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        var periodic = world.Decide();
        world.Revalidate = "2";

        Assert.Null(world.Decide(probeInFlight: true).Probe);
        world.RunProbe(periodic);
        var next = world.Step();

        Assert.Equal("2", next.Probe!.RevalidateToken);
    }

    [Fact]
    public void After_a_restart_a_handled_revalidate_value_is_not_probed_again()
    {
        var world = Authorized();
        world.Revalidate = "7";
        world.Converge();
        world.LastProbe = null;

        var plan = world.Decide();

        Assert.True(plan.IsEmpty, plan.ToString());
        Assert.Null(plan.Probe);
    }

    [Fact]
    public void Without_validation_the_revalidate_annotation_asks_for_nothing()
    {
        var world = new ReconcileWorld();
        world.Converge();
        world.Revalidate = "1";

        var plan = world.Decide();

        Assert.True(plan.IsEmpty);
        Assert.Null(world.Status!.Revalidation);
        Assert.Null(world.Status.NextValidationTime);
    }

    [Fact]
    public void After_a_restart_the_published_recheck_time_is_kept()
    {
        var world = Authorized(key2: false);
        var due = world.Status!.NextValidationTime!.Value;
        world.LastProbe = null;

        var plan = world.Decide();

        Assert.True(plan.IsEmpty, plan.ToString());
        Assert.Equal(due - world.Now, plan.RequeueAfter);
        world.Now = due;
        Assert.NotNull(world.Decide().Probe);
    }

    private static DateTimeOffset StatusAt(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [Fact]
    public void A_host_key_that_does_not_match_the_pin_says_no_key_was_offered()
    {
        var world = new ReconcileWorld(validate: true);
        world.Spec.HostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        world.RunProbe(world.Step());

        var plan = world.Step();

        var validated = world.Condition(ConditionTypes.Validated);
        Assert.Equal(("False", "HostKeyMismatch"), (validated.Status, validated.Reason));
        Assert.StartsWith("No key was offered to materialize@bastion.example.com:22", validated.Message);
        Assert.Contains("not offered", world.Condition(ConditionTypes.SecondaryKeyAuthorized).Message);
        Assert.Equal(ReconcileWorld.Recheck.Initial, plan.RequeueAfter);
        Assert.Null(world.Status!.Connection);
        Assert.False(world.Secret!.Data.ContainsKey(KeySecretLayout.KnownHosts), "a mismatching host key is never trusted");
        Assert.Equal(FakeBastion.Fingerprint(FakeBastion.HostKeyLine), world.Status.HostKeyFingerprint);
    }

    [Fact]
    public void A_pin_that_stops_matching_the_connection_in_effect_says_no_key_was_offered_not_that_key_1_is_refused()
    {
        var world = Authorized();
        world.ChangeSpec(spec => spec.HostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        world.Converge();

        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ValidationFailed), (ready.Status, ready.Reason));
        Assert.Contains("is in effect but the bastion's host key does not match spec.hostKey, so no key was offered", ready.Message);
        Assert.DoesNotContain("key 1 is not accepted", ready.Message);
    }

    [Fact]
    public void Fixing_the_pin_probes_again_at_once()
    {
        var world = new ReconcileWorld(validate: true);
        world.Spec.HostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        world.RunProbe(world.Step());
        world.Step();

        world.ChangeSpec(spec => spec.HostKey = FakeBastion.Fingerprint(FakeBastion.HostKeyLine));
        var plan = world.Decide();

        Assert.Equal(FakeBastion.Fingerprint(FakeBastion.HostKeyLine), plan.Probe!.HostKeyPin);
    }

    [Fact]
    public void No_probe_is_requested_while_one_is_in_flight()
    {
        var world = new ReconcileWorld(validate: true);
        world.Step();

        var plan = world.Decide(probeInFlight: true);

        Assert.True(plan.IsEmpty);
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void A_refused_second_key_warns_before_the_next_rotation()
    {
        var world = Authorized(key2: false);

        var condition = world.Condition(ConditionTypes.SecondaryKeyAuthorized);

        Assert.Equal(("False", "AuthenticationFailed"), (condition.Status, condition.Reason));
        Assert.Contains("Permission denied (publickey). Add status.publicKey2", condition.Message);
        Assert.DoesNotContain("..", condition.Message);
        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
        Assert.Contains(world.Events, e => e is { Type: EventType.Warning, Reason: EventReasons.SecondaryKeyNotAuthorized });
    }

    [Fact]
    public void A_probe_that_did_not_try_key_2_leaves_it_Unknown()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.NameResolutionFailed;
        world.RunProbe(world.Step());

        world.Step();

        var condition = world.Condition(ConditionTypes.SecondaryKeyAuthorized);
        Assert.Equal(("Unknown", ConditionReasons.NotProbed), (condition.Status, condition.Reason));
        Assert.Equal("NameResolutionFailed", world.Condition(ConditionTypes.Validated).Reason);
    }

    [Fact]
    public void After_a_restart_the_published_success_is_kept_and_revalidated_on_schedule()
    {
        var world = Authorized();
        var status = world.Status;
        world.LastProbe = null;
        world.Now += TimeSpan.FromMinutes(4);

        var plan = world.Decide();

        Assert.True(plan.IsEmpty, plan.ToString());
        Assert.Equal(TimeSpan.FromMinutes(6) - TimeSpan.FromMilliseconds(250), plan.RequeueAfter);
        world.Now += TimeSpan.FromMinutes(6);
        Assert.NotNull(world.Decide().Probe);
        Assert.Same(status, world.Status);
    }

    [Fact]
    public void After_a_restart_a_published_failure_without_a_schedule_is_probed_again_at_once()
    {
        var world = Authorized();
        world.Bastion.AuthorizedKeys.Clear();
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();
        world.LastProbe = null;
        world.Status = world.Status! with { NextValidationTime = null };

        var plan = world.Decide();

        Assert.NotNull(plan.Probe);
    }

    [Fact]
    public void After_a_restart_a_spec_change_made_meanwhile_is_not_covered_by_the_published_outcome()
    {
        var world = Authorized();
        world.LastProbe = null;
        world.ChangeSpec(spec => spec.HostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        var plan = world.Step();

        Assert.Equal(("Unknown", ConditionReasons.ValidationPending), (world.Condition(ConditionTypes.Validated).Status, world.Condition(ConditionTypes.Validated).Reason));
        Assert.Equal("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", plan.Probe!.HostKeyPin);
    }

    [Fact]
    public void Without_validation_a_probe_result_left_over_is_ignored()
    {
        var world = Authorized();
        world.ChangeSpec(spec => spec.Validate = false);

        var plan = world.Step();

        Assert.Null(plan.Probe);
        Assert.Null(plan.RequeueAfter);
        Assert.Equal(ConditionReasons.ValidationDisabled, world.Condition(ConditionTypes.Validated).Reason);
        Assert.Null(world.Status!.LastValidationTime);
        Assert.Equal(FakeBastion.Fingerprint(FakeBastion.HostKeyLine), world.Status.HostKeyFingerprint);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_changed_host_key_without_a_pin_replaces_known_hosts()
    {
        var world = Authorized();
        world.Bastion.HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGzHlDh8aR9D0bm8IkXJeL0XbMdqf2p2WBt8xkkV0Nko";
        world.Now += ReconcileInput.DefaultRevalidationInterval;

        world.Converge();

        Assert.Equal("bastion.example.com " + world.Bastion.HostKey + "\n", world.SecretText(KeySecretLayout.KnownHosts));
        Assert.Equal(FakeBastion.Fingerprint(world.Bastion.HostKey), world.Status!.HostKeyFingerprint);
    }
}
