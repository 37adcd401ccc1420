using System.Text;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class SecretRecoveryTests
{
    private static ReconcileWorld RotatedTwice()
    {
        var world = new ReconcileWorld(rotateKeys: "1");
        world.Converge();
        world.RotateKeys = "2";
        world.Converge();
        world.RotateKeys = "3";
        world.Converge();
        return world;
    }

    [Fact]
    public void A_deleted_Secret_gets_new_keys_with_a_warning_keeping_the_count_and_not_rotating()
    {
        var world = RotatedTwice();
        var oldKey1 = world.Status!.PublicKey1;
        world.Secret = null;

        var plan = world.Step();

        Assert.Equal(SecretWriteKind.Create, plan.SecretWrite!.Kind);
        Assert.NotEqual(oldKey1, world.Status.PublicKey1);
        Assert.Equal(2, world.Status.Rotation!.Count);
        Assert.Equal("3", world.Status.Rotation.Handled);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.KeysRegenerated), (warning.Type, warning.Reason));
        Assert.Contains("keys published before are gone", warning.Message);
        Assert.Contains("Install the new status.publicKey1 and status.publicKey2", warning.Message);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_deleted_Secret_records_a_bumped_annotation_as_handled_without_rotating()
    {
        var world = RotatedTwice();
        world.Secret = null;
        world.RotateKeys = "9";

        world.Converge();

        Assert.Equal(new RotationStatus { Handled = "9", Count = 2, LastRotationTime = world.Status!.Rotation!.LastRotationTime }, world.Status.Rotation);
        Assert.DoesNotContain(world.Events.Skip(4), e => e.Reason == EventReasons.KeysRotated);
    }

    [Fact]
    public void A_deleted_Secret_with_a_reverted_annotation_keeps_the_higher_handled_value()
    {
        var world = RotatedTwice();
        world.Secret = null;
        world.RotateKeys = "1";

        world.Converge();
        world.RotateKeys = "3";

        Assert.Equal("3", world.Status!.Rotation!.Handled);
        Assert.Null(world.Decide().SecretWrite);
        Assert.Equal(2, world.Status.Rotation.Count);
    }

    [Theory]
    [InlineData(KeySecretLayout.PrivateKey2, "data key private-key-2 is missing")]
    [InlineData(KeySecretLayout.PublicKey1, "data key public-key-1 is missing")]
    public void A_Secret_with_a_missing_key_is_reported_and_not_replaced(string removed, string expected)
    {
        var world = RotatedTwice();
        world.EditSecret(data => data.Remove(removed));

        AssertInvalid(world, expected);
    }

    [Fact]
    public void A_Secret_whose_private_key_belongs_to_another_pair_is_reported_and_not_replaced()
    {
        var world = RotatedTwice();
        world.EditSecret(data => data[KeySecretLayout.PrivateKey1] = data[KeySecretLayout.PrivateKey2]);

        AssertInvalid(world, "private-key-1/public-key-1: the private key does not match the public key");
    }

    [Fact]
    public void A_Secret_with_an_unparsable_key_is_reported_and_not_replaced()
    {
        var world = RotatedTwice();
        world.EditSecret(data => data[KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes("ssh-ed25519 not-base64!"));

        AssertInvalid(world, "public-key-2: public key: the key data is not valid base64");
    }

    [Fact]
    public void A_Secret_with_a_bad_port_is_reported_and_not_replaced()
    {
        var world = RotatedTwice();
        world.EditSecret(data => data[KeySecretLayout.Port] = Encoding.UTF8.GetBytes("ssh"));

        AssertInvalid(world, "data key port is \"ssh\", not a port number (1..65535)");
    }

    [Fact]
    public void A_tampered_Secret_is_not_rotated_by_a_bump()
    {
        var world = RotatedTwice();
        world.EditSecret(data => data.Remove(KeySecretLayout.PrivateKey1));
        world.RotateKeys = "4";

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(2, world.Status!.Rotation!.Count);
        Assert.Equal(ConditionReasons.SecretInvalid, world.Condition(ConditionTypes.Ready).Reason);
    }

    [Fact]
    public void Deleting_a_tampered_Secret_regenerates_the_keys()
    {
        var world = RotatedTwice();
        world.EditSecret(data => data.Remove(KeySecretLayout.PrivateKey1));
        world.Step();

        world.Secret = null;
        world.Converge();

        Assert.Equal(("True", ConditionReasons.Reconciled), (world.Condition(ConditionTypes.Ready).Status, world.Condition(ConditionTypes.Ready).Reason));
        Assert.Null(KeySecretCodec.Read(world.Secret!).Problem);
    }

    [Fact]
    public void A_foreign_Secret_holding_the_name_is_never_overwritten()
    {
        var world = RotatedTwice();
        var published = world.Status!.PublicKey1;
        world.Secret = world.Secret! with { ControllerOwnerUid = "someone-else" };

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Null(plan.Probe);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.SecretConflict), (ready.Status, ready.Reason));
        Assert.Contains("warehouse-bastion-ssh-keys", ready.Message);
        Assert.Contains("not controlled by this SshTunnelConnection", ready.Message);
        Assert.Equal(published, world.Status.PublicKey1);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.SecretConflict), (warning.Type, warning.Reason));
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_foreign_Secret_for_a_new_resource_blocks_key_generation()
    {
        var world = new ReconcileWorld();
        world.Secret = new SecretSnapshot("7", "Opaque", new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, byte[]>(), null);

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(0, world.Keys.Created);
        Assert.Equal(
            [(ConditionTypes.Ready, "False", ConditionReasons.SecretConflict), (ConditionTypes.Validated, "Unknown", ConditionReasons.ValidationDisabled), (ConditionTypes.SecondaryKeyAuthorized, "Unknown", ConditionReasons.ValidationDisabled), (ConditionTypes.Stalled, "True", ConditionReasons.SecretConflict)],
            world.Status!.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
        Assert.True(plan.ReadSecretByName, "a foreign Secret is invisible to the operator's Secret cache");
    }

    [Fact]
    public void Labels_someone_removed_from_the_Secret_are_restored_keeping_their_own()
    {
        var world = RotatedTwice();
        world.Secret = world.Secret! with { Labels = new Dictionary<string, string> { ["team"] = "data" } };

        var plan = world.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWrite!.Kind);
        Assert.Equal("ssh-tunnel-operator", world.Secret!.Labels[KeySecretLayout.ManagedByLabel]);
        Assert.Equal("data", world.Secret.Labels["team"]);
        Assert.True(world.Decide().IsEmpty);
    }

    private static void AssertInvalid(ReconcileWorld world, string expected)
    {
        var secret = world.Secret;
        var keys = world.Keys.Created;

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secret, world.Secret);
        Assert.Equal(keys, world.Keys.Created);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.SecretInvalid), (ready.Status, ready.Reason));
        Assert.Contains(expected, ready.Message);
        Assert.Contains("delete the Secret to generate new keys", ready.Message);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((EventType.Warning, EventReasons.SecretInvalid), (warning.Type, warning.Reason));
        Assert.True(world.Decide().IsEmpty);
    }
}
