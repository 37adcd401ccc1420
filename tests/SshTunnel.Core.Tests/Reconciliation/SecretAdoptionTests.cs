using System.Text;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class SecretAdoptionTests
{
    /// <summary>A connection that rotated twice under <paramref name="policy"/>, and the Secret it leaves when deleted (its owner collected or never set).</summary>
    private static SecretSnapshot LeftBehind(SecretPolicy policy, out ConnectionStatus status)
    {
        var world = new ReconcileWorld(rotateKeys: "1");
        world.ChangeSpec(spec => spec.SecretPolicy = policy);
        world.Converge();
        world.RotateKeys = "2";
        world.Converge();
        world.RotateKeys = "3";
        world.Converge();
        status = world.Status!;
        return world.Secret!;
    }

    private static ReconcileWorld Recreated(SecretPolicy policy, SecretSnapshot? secret)
    {
        var world = new ReconcileWorld { Secret = secret };
        world.ChangeSpec(spec => spec.SecretPolicy = policy);
        return world;
    }

    [Fact]
    public void Retain_writes_the_Secret_without_an_owner_and_Delete_with_the_connection_as_controller()
    {
        Assert.Null(LeftBehind(SecretPolicy.Retain, out _).ControllerOwnerUid);
        Assert.Equal(ReconcileWorld.Uid, LeftBehind(SecretPolicy.Delete, out _).ControllerOwnerUid);
    }

    [Theory]
    [InlineData(SecretPolicy.Retain, SecretPolicy.Delete, ReconcileWorld.Uid)]
    [InlineData(SecretPolicy.Delete, SecretPolicy.Retain, null)]
    public void Switching_the_policy_is_one_Secret_replace_with_its_resourceVersion(SecretPolicy from, SecretPolicy to, string? owner)
    {
        var world = new ReconcileWorld();
        world.ChangeSpec(spec => spec.SecretPolicy = from);
        world.Converge();
        var before = world.Secret!;

        world.ChangeSpec(spec => spec.SecretPolicy = to);
        var plan = world.Step();

        Assert.Equal((SecretWriteKind.Replace, before.ResourceVersion), (plan.SecretWrite!.Kind, plan.SecretWrite.ExpectedResourceVersion));
        Assert.Equal(owner, world.Secret!.ControllerOwnerUid);
        Assert.Equal(before.Data.Keys, world.Secret.Data.Keys);
        Assert.All(before.Data, entry => Assert.Equal(entry.Value, world.Secret.Data[entry.Key]));
        Assert.DoesNotContain(plan.Events, e => e.Reason == EventReasons.KeysAdopted);
        Assert.True(world.Decide().IsEmpty);
    }

    [Theory]
    [InlineData(SecretPolicy.Retain, null)]
    [InlineData(SecretPolicy.Delete, ReconcileWorld.Uid)]
    public void A_new_connection_adopts_an_unowned_Secret_with_its_keys_count_and_handled_value(SecretPolicy policy, string? owner)
    {
        var secret = LeftBehind(SecretPolicy.Retain, out var before);
        var world = Recreated(policy, secret);

        var plan = world.Step();

        Assert.Equal(0, world.Keys.Created);
        Assert.Equal((before.PublicKey1, before.PublicKey2), (world.Status!.PublicKey1, world.Status.PublicKey2));
        Assert.Equal((2L, "3"), (world.Status.Rotation!.Count, world.Status.Rotation.Handled));
        Assert.All(secret.Data, entry => Assert.Equal(entry.Value, world.Secret!.Data[entry.Key]));
        Assert.Equal(owner, world.Secret!.ControllerOwnerUid);
        var adopted = Assert.Single(plan.Events, e => e.Reason == EventReasons.KeysAdopted);
        Assert.Equal(EventType.Normal, adopted.Type);
        Assert.Contains("rotation 2", adopted.Message);
        Assert.DoesNotContain(plan.Events, e => e.Reason is EventReasons.KeysGenerated or EventReasons.KeysRegenerated or EventReasons.SecretConflict);
        Assert.Equal(("True", ConditionReasons.Reconciled), (world.Condition(ConditionTypes.Ready).Status, world.Condition(ConditionTypes.Ready).Reason));
        Assert.Empty(world.Converge().SelectMany(p => p.Events));
    }

    [Fact]
    public void Keys_a_user_brings_are_adopted_without_rotating_for_the_annotation_already_set()
    {
        var keys = new DeterministicKeyPairSource();
        var (key1, key2) = (keys.Create("key 1"), keys.Create("key 2"));
        var data = new Dictionary<string, byte[]>
        {
            [KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes(key1.PrivateKey),
            [KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes(key1.PublicKey),
            [KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(key2.PrivateKey),
            [KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes(key2.PublicKey),
        };
        var world = Recreated(SecretPolicy.Delete, new SecretSnapshot("4", KeySecretLayout.SecretType, OperatorLabels(ReconcileWorld.Name), new Dictionary<string, string>(), data, null));
        world.RotateKeys = "1764200000";

        var plan = world.Step();

        Assert.Equal((key1.PublicKey, key2.PublicKey), (world.Status!.PublicKey1, world.Status.PublicKey2));
        Assert.Equal((0L, "1764200000"), (world.Status.Rotation!.Count, world.Status.Rotation.Handled));
        Assert.Single(plan.Events, e => e.Reason == EventReasons.KeysAdopted);
        Assert.Equal(ReconcileWorld.Uid, world.Secret!.ControllerOwnerUid);
    }

    [Fact]
    public void A_Secret_controlled_by_another_object_is_refused()
    {
        var world = Recreated(SecretPolicy.Retain, LeftBehind(SecretPolicy.Delete, out _) with { ControllerOwnerUid = "another-uid" });

        AssertConflict(world, "its controller ownerReference has uid another-uid");
    }

    [Fact]
    public void A_Secret_of_another_type_is_refused_saying_how_to_hand_it_over()
    {
        var world = Recreated(SecretPolicy.Retain, LeftBehind(SecretPolicy.Retain, out _) with { Type = "Opaque" });

        var message = AssertConflict(world, "has type Opaque, not sshtunnels.io/key-pairs");
        Assert.Contains($"give it type sshtunnels.io/key-pairs and labels app.kubernetes.io/managed-by=ssh-tunnel-operator and sshtunnels.io/connection={ReconcileWorld.Name}", message);
    }

    [Fact]
    public void A_Secret_labelled_for_another_connection_is_refused()
    {
        var world = Recreated(SecretPolicy.Retain, LeftBehind(SecretPolicy.Retain, out _) with { Labels = OperatorLabels("other") });

        AssertConflict(world, $"lacks the label sshtunnels.io/connection={ReconcileWorld.Name}");
    }

    [Fact]
    public void An_unowned_Secret_with_invalid_content_is_refused_as_invalid_and_left_untouched()
    {
        var world = Recreated(SecretPolicy.Retain, LeftBehind(SecretPolicy.Retain, out _));
        world.EditSecret(data => data[KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes("not a key"));

        var (plan, message) = AssertRefused(world, ConditionReasons.SecretInvalid, KeySecretLayout.PublicKey2);

        Assert.Contains("correct the Secret", message);
        Assert.False(plan.ReadSecretByName);
        Assert.DoesNotContain(plan.Events, e => e.Reason == EventReasons.KeysAdopted);
    }

    [Fact]
    public void With_Delete_a_re_created_connection_whose_Secret_was_collected_gets_new_keys_as_before()
    {
        LeftBehind(SecretPolicy.Delete, out var before);
        var world = Recreated(SecretPolicy.Delete, null);

        var plan = world.Step();

        Assert.Equal(SecretWriteKind.Create, plan.SecretWrite!.Kind);
        Assert.NotEqual(before.PublicKey1, world.Status!.PublicKey1);
        Assert.Equal(ReconcileWorld.Uid, world.Secret!.ControllerOwnerUid);
        Assert.Single(plan.Events, e => e.Reason == EventReasons.KeysGenerated);
    }

    private static Dictionary<string, string> OperatorLabels(string connection) => new()
    {
        [KeySecretLayout.ManagedByLabel] = KeySecretLayout.ManagedByValue,
        [KeySecretLayout.ConnectionLabel] = connection,
    };

    private static string AssertConflict(ReconcileWorld world, string expected)
    {
        var (plan, message) = AssertRefused(world, ConditionReasons.SecretConflict, expected);

        Assert.Contains("left untouched", message);
        Assert.True(plan.ReadSecretByName);
        return message;
    }

    /// <summary>One decision refuses the Secret for <paramref name="reason"/>: no write, no new keys, Ready False naming <paramref name="expected"/>, one Warning.</summary>
    private static (ReconcilePlan Plan, string Message) AssertRefused(ReconcileWorld world, string reason, string expected)
    {
        var secret = world.Secret;

        var plan = world.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Same(secret, world.Secret);
        Assert.Equal(0, world.Keys.Created);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", reason), (ready.Status, ready.Reason));
        Assert.Contains(expected, ready.Message);
        Assert.Single(plan.Events, e => e.Reason == reason);
        return (plan, ready.Message);
    }
}
