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

    [Fact]
    public void A_failing_login_is_retried_with_a_doubling_backoff()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
        var waits = new List<TimeSpan?>();

        for (var attempt = 0; attempt < 9; attempt++)
        {
            world.RunProbe(world.Step());
            var plan = world.Step();
            waits.Add(plan.RequeueAfter);
            world.Now += plan.RequeueAfter!.Value;
        }

        Assert.Equal(
            new TimeSpan?[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(160), TimeSpan.FromSeconds(320), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) },
            waits);
        Assert.Equal(9, world.LastProbe!.ConsecutiveFailures);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(6, 320)]
    [InlineData(7, 600)]
    [InlineData(1000, 600)]
    public void Backoff_starts_at_10_seconds_and_stops_doubling_at_10_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReconcileWorld.ProbeRetryDelay.After(failures));

    [Fact]
    public void A_refused_key_is_the_bastions_answer_and_is_probed_again_at_the_revalidation_interval()
    {
        var world = new ReconcileWorld(validate: true);
        world.RunProbe(world.Step());

        var plan = world.Step();

        Assert.Equal(ProbeOutcome.AuthenticationFailed, world.LastProbe!.Result.Key1.Outcome);
        Assert.Equal(ReconcileInput.DefaultRevalidationInterval, plan.RequeueAfter);
        world.Now += ReconcileInput.DefaultRevalidationInterval - TimeSpan.FromSeconds(1);
        Assert.Null(world.Decide().Probe);
        world.Now += TimeSpan.FromSeconds(1);
        Assert.NotNull(world.Decide().Probe);
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.Timeout;
        world.RunProbe(world.Step());
        world.Step();
        world.Now += ProbeBackoff.Initial;
        world.RunProbe(world.Step());
        Assert.Equal(2, world.LastProbe!.ConsecutiveFailures);

        world.Bastion.Failure = null;
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Now += ReconcileWorld.ProbeRetryDelay.After(2);
        world.RunProbe(world.Decide());

        Assert.Equal(0, world.LastProbe.ConsecutiveFailures);
    }

    [Fact]
    public void A_host_key_that_does_not_match_the_pin_fails_without_fast_retries()
    {
        var world = new ReconcileWorld(validate: true);
        world.Spec.HostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        world.RunProbe(world.Step());

        var plan = world.Step();

        var validated = world.Condition(ConditionTypes.Validated);
        Assert.Equal(("False", "HostKeyMismatch"), (validated.Status, validated.Reason));
        Assert.Equal(ReconcileInput.DefaultRevalidationInterval, plan.RequeueAfter);
        Assert.Null(world.Status!.Connection);
        Assert.False(world.Secret!.Data.ContainsKey(KeySecretLayout.KnownHosts), "a mismatching host key is never trusted");
        Assert.Equal(FakeBastion.Fingerprint(FakeBastion.HostKeyLine), world.Status.HostKeyFingerprint);
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
    public void After_a_restart_a_published_failure_is_kept_and_probed_again_at_once()
    {
        var world = Authorized();
        world.Bastion.AuthorizedKeys.Clear();
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();
        world.LastProbe = null;

        var plan = world.Decide();

        Assert.Null(plan.Status);
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
