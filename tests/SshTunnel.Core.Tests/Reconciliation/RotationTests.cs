using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class RotationTests
{
    private static ReconcileWorld Created(string? rotateKeys = "100", bool validate = false)
    {
        var world = new ReconcileWorld(validate, rotateKeys);
        world.Converge();
        return world;
    }

    [Fact]
    public void A_greater_value_promotes_key_2_and_generates_a_new_key_2_in_one_replace()
    {
        var world = Created();
        var before = KeySecretCodec.Read(world.Secret!).Secret!;
        var versionBefore = world.Secret!.ResourceVersion;
        world.Now += TimeSpan.FromHours(1);
        world.RotateKeys = "101";

        var plan = world.Step();

        var write = Assert.IsType<SecretWrite>(plan.SecretWrite);
        Assert.Equal(SecretWriteKind.Replace, write.Kind);
        Assert.Equal(versionBefore, write.ExpectedResourceVersion);
        var after = KeySecretCodec.Read(world.Secret!).Secret!;
        Assert.Equal(before.Key2, after.Key1);
        Assert.NotEqual(before.Key1, after.Key2);
        Assert.NotEqual(before.Key2, after.Key2);
        Assert.Equal(new RotationStatus { Handled = "101", Count = 1, LastRotationTime = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero) }, after.Rotation);
        Assert.Equal(after.Rotation, world.Status!.Rotation);
        Assert.Equal(before.Key2.PublicKey, world.Status.PublicKey1);
        Assert.Equal(after.Key2.PublicKey, world.Status.PublicKey2);
        var rotated = Assert.Single(plan.Events);
        Assert.Equal((EventType.Normal, EventReasons.KeysRotated), (rotated.Type, rotated.Reason));
        Assert.Contains("sshtunnels.io/rotate-keys=101", rotated.Message);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void An_equal_value_does_nothing()
    {
        var world = Created();
        world.RotateKeys = "100";

        Assert.True(world.Decide().IsEmpty);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("-5")]
    public void A_lower_value_rotates_nothing_and_says_so_once(string value)
    {
        var world = Created();
        var secretBefore = world.Secret;
        world.RotateKeys = value;

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secretBefore, world.Secret);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("True", ConditionReasons.Reconciled), (ready.Status, ready.Reason));
        Assert.Contains($"The value {value} of sshtunnels.io/rotate-keys is not greater than the handled 100, so it rotates nothing", ready.Message);
        var ignored = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.RotationIgnored), (ignored.Type, ignored.Reason));
        Assert.True(world.Decide().IsEmpty, "said once");
    }

    [Fact]
    public void Removing_the_annotation_does_nothing_and_a_lower_value_later_rotates_nothing()
    {
        var world = Created();
        world.RotateKeys = null;
        Assert.True(world.Decide().IsEmpty);

        world.RotateKeys = "50";
        world.Converge();

        Assert.Equal(0, world.Status!.Rotation!.Count);
        Assert.Single(world.Events, e => e.Reason == EventReasons.RotationIgnored);
    }

    [Fact]
    public void A_jump_by_many_rotates_once()
    {
        var world = Created();
        world.RotateKeys = "1764200000";

        world.Converge();

        Assert.Equal(1, world.Status!.Rotation!.Count);
        Assert.Equal("1764200000", world.Status.Rotation.Handled);
        Assert.Equal(3, world.Keys.Created);
    }

    [Fact]
    public void Adding_the_annotation_to_a_resource_created_without_it_rotates()
    {
        var world = Created(rotateKeys: null);
        world.RotateKeys = "1";

        world.Converge();

        Assert.Equal(new RotationStatus { Handled = "1", Count = 1, LastRotationTime = world.Status!.Rotation!.LastRotationTime }, world.Status.Rotation);
    }

    [Theory]
    [InlineData("+0101", "write it as 101")]
    [InlineData(" 101", "write it as 101")]
    [InlineData("0101", "write it as 101")]
    public void A_value_that_is_not_a_plain_integer_is_refused_and_rotates_nothing(string value, string expected)
    {
        var world = Created();
        var keysBefore = KeySecretCodec.Read(world.Secret!).Secret!;
        world.RotateKeys = value;

        world.Converge();

        Assert.Equal(keysBefore, KeySecretCodec.Read(world.Secret!).Secret!);
        Assert.Equal(ConditionReasons.InvalidRotationToken, world.Condition(ConditionTypes.Ready).Reason);
        Assert.Contains(expected, world.Condition(ConditionTypes.Ready).Message);
        world.RotateKeys = "101";
        world.Converge();
        Assert.Equal(1, world.Status!.Rotation!.Count);
    }

    [Theory]
    [InlineData("tomorrow", "is not an integer")]
    [InlineData("1.5", "is not an integer")]
    [InlineData("", "is not an integer")]
    [InlineData("99999999999999999999", "is out of range")]
    public void A_value_that_is_not_an_integer_leaves_the_keys_alone_and_says_so(string value, string expected)
    {
        var world = Created();
        var secretBefore = world.Secret;
        world.RotateKeys = value;

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secretBefore, world.Secret);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.InvalidRotationToken), (ready.Status, ready.Reason));
        Assert.Contains(expected, ready.Message);
        Assert.Contains("The last handled value is 100", ready.Message);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.InvalidRotationToken), (warning.Type, warning.Reason));
        Assert.True(world.Decide().IsEmpty, "the warning is not repeated");
    }

    [Fact]
    public void Fixing_an_invalid_value_to_a_greater_integer_rotates_and_clears_the_warning()
    {
        var world = Created();
        world.RotateKeys = "oops";
        world.Step();

        world.RotateKeys = "200";
        world.Converge();

        Assert.Equal(1, world.Status!.Rotation!.Count);
        Assert.Equal(("True", ConditionReasons.Reconciled), (world.Condition(ConditionTypes.Ready).Status, world.Condition(ConditionTypes.Ready).Reason));
    }

    [Fact]
    public void A_crash_between_the_Secret_write_and_the_status_write_does_not_rotate_twice()
    {
        var world = Created();
        var promoted = KeySecretCodec.Read(world.Secret!).Secret!.Key2;
        world.RotateKeys = "101";
        world.Step(crashBeforeStatus: true);
        Assert.Equal(0, world.Status!.Rotation!.Count);

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(1, world.Status.Rotation!.Count);
        Assert.Equal(promoted.PublicKey, world.Status.PublicKey1);
        Assert.Contains(plan.Events, e => e.Reason == EventReasons.KeysRotated);
        Assert.Single(world.Events, e => e.Reason == EventReasons.KeysRotated);
        Assert.Equal(1, world.RotationsWritten);
        Assert.Equal(3, world.Keys.Created);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_decision_on_a_stale_Secret_writes_with_the_stale_version_and_the_fresh_Secret_does_not_rotate_again()
    {
        var world = Created();
        var stale = world.Secret!;
        world.RotateKeys = "101";
        world.Step();
        var fresh = world.Secret!;

        world.Secret = stale;
        var stalePlan = world.Decide();
        world.Secret = fresh;
        var retry = world.Decide();

        Assert.Equal(stale.ResourceVersion, stalePlan.SecretWrite!.ExpectedResourceVersion);
        Assert.NotEqual(fresh.ResourceVersion, stalePlan.SecretWrite.ExpectedResourceVersion);
        Assert.True(retry.IsEmpty, "the fresh Secret carries the handled token");
        Assert.Equal(KeySecretCodec.Read(stale).Secret!.Key2, KeySecretCodec.Read(fresh).Secret!.Key1);
    }

    [Fact]
    public void Rotation_does_not_wait_for_validation_and_asks_for_a_fresh_one()
    {
        var world = Created(validate: true);
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Bastion.Authorize(world.Status.PublicKey2);
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();
        Assert.Equal("True", world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status);
        world.RotateKeys = "101";

        var plan = world.Step();

        Assert.NotNull(plan.SecretWrite);
        var probe = Assert.IsType<ProbeRequest>(plan.Probe);
        Assert.Equal(KeySecretCodec.Read(world.Secret!).Secret!.Key1.PrivateKey, probe.PrivateKey1);
        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
        Assert.Equal(("Unknown", ConditionReasons.ValidationPending), (world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status, world.Condition(ConditionTypes.SecondaryKeyAuthorized).Reason));

        world.RunProbe(plan);
        var after = world.Step();

        Assert.Equal("True", world.Condition(ConditionTypes.Validated).Status);
        Assert.Equal(("False", "AuthenticationFailed"), (world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status, world.Condition(ConditionTypes.SecondaryKeyAuthorized).Reason));
        Assert.Contains(after.Events, e => e is { Type: EventType.Warning, Reason: EventReasons.SecondaryKeyNotAuthorized });
        Assert.Contains("before the next rotation", world.Condition(ConditionTypes.SecondaryKeyAuthorized).Message);
    }

    [Fact]
    public void Rotation_and_a_spec_change_land_in_the_same_single_write()
    {
        var world = Created();
        world.RotateKeys = "101";
        world.ChangeSpec(spec => spec.Host = "bastion-2.example.com");

        var plans = world.Converge();

        Assert.Equal(1, plans.Count(p => p.SecretWrite is not null));
        Assert.Equal("bastion-2.example.com", world.SecretText(KeySecretLayout.Host));
        Assert.Equal(1, world.Status!.Rotation!.Count);
        Assert.Equal(2, world.Status.ObservedGeneration);
    }
}
