using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class NewResourceTests
{
    [Fact]
    public void Creates_the_Secret_with_two_key_pairs_and_publishes_the_public_keys()
    {
        var world = new ReconcileWorld();

        var plan = world.Step();

        var write = Assert.IsType<SecretWrite>(plan.SecretWrite);
        Assert.Equal(SecretWriteKind.Create, write.Kind);
        Assert.Null(write.ExpectedResourceVersion);
        Assert.Equal("warehouse-bastion-ssh-keys", write.Contents.Name);
        Assert.Equal(ReconcileWorld.Namespace, write.Contents.Namespace);
        Assert.Equal("sshtunnels.io/key-pairs", write.Contents.Type);
        Assert.Equal(new SecretOwner(ReconcileWorld.Name, ReconcileWorld.Uid), write.Contents.Owner);
        Assert.Equal(
            new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "ssh-tunnel-operator", ["sshtunnels.io/connection"] = ReconcileWorld.Name },
            write.Contents.Labels);
        Assert.Equal(
            ["host", "port", "private-key-1", "private-key-2", "public-key-1", "public-key-2", "user"],
            write.Contents.Data.Keys.Order());

        var secret = KeySecretCodec.Read(world.Secret!).Secret!;
        Assert.NotEqual(secret.Key1, secret.Key2);
        Assert.Equal(secret.Key1.PublicKey, world.Status!.PublicKey1);
        Assert.Equal(secret.Key2.PublicKey, world.Status.PublicKey2);
        Assert.EndsWith(" default/warehouse-bastion", world.Status.PublicKey1);
        Assert.Equal(FakeBastion.Fingerprint(world.Status.PublicKey1!), world.Status.PublicKey1Fingerprint);
        Assert.Equal(FakeBastion.Fingerprint(world.Status.PublicKey2!), world.Status.PublicKey2Fingerprint);
        Assert.Equal(new ConnectionParameters("bastion.example.com", 22, "materialize"), world.Status.Connection);
        Assert.Equal(new RotationStatus { Count = 0 }, world.Status.Rotation);
        Assert.Equal(1, world.Status.ObservedGeneration);
        Assert.Null(plan.Probe);
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void Without_validation_Ready_is_True_and_the_bastion_conditions_are_Unknown()
    {
        var world = new ReconcileWorld();

        world.Step();

        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("True", ConditionReasons.Reconciled), (ready.Status, ready.Reason));
        Assert.Equal(1, ready.ObservedGeneration);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), ready.LastTransitionTime);
        Assert.Contains("validation is disabled", ready.Message);
        foreach (var type in new[] { ConditionTypes.Validated, ConditionTypes.SecondaryKeyAuthorized })
        {
            var condition = world.Condition(type);
            Assert.Equal(("Unknown", ConditionReasons.ValidationDisabled), (condition.Status, condition.Reason));
        }

        Assert.Equal([ConditionTypes.Ready, ConditionTypes.Validated, ConditionTypes.SecondaryKeyAuthorized], world.Status!.Conditions.Select(c => c.Type));
    }

    [Fact]
    public void Emits_KeysGenerated_and_ConnectionChanged()
    {
        var world = new ReconcileWorld();

        var plan = world.Step();

        Assert.Equal(
            [(EventType.Normal, EventReasons.KeysGenerated), (EventType.Normal, EventReasons.ConnectionChanged)],
            plan.Events.Select(e => (e.Type, e.Reason)));
        Assert.Contains("materialize@bastion.example.com:22", plan.Events[1].Message);
    }

    [Fact]
    public void Deciding_again_after_creation_changes_nothing()
    {
        var world = new ReconcileWorld();
        world.Step();

        var again = world.Decide();

        Assert.True(again.IsEmpty, again.ToString());
        Assert.Null(again.RequeueAfter);
        Assert.Equal(2, world.Keys.Created);
    }

    [Fact]
    public void A_resource_created_with_the_annotation_records_it_without_rotating()
    {
        var world = new ReconcileWorld(rotateKeys: "1764200000");

        world.Step();

        Assert.Equal(new RotationStatus { Handled = "1764200000", Count = 0 }, world.Status!.Rotation);
        Assert.Equal("1764200000", world.Secret!.Annotations[KeySecretLayout.RotationHandledAnnotation]);
        Assert.Equal(2, world.Keys.Created);
        Assert.DoesNotContain(world.Events, e => e.Reason == EventReasons.KeysRotated);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_resource_created_with_an_invalid_annotation_gets_keys_and_says_the_value_is_wrong()
    {
        var world = new ReconcileWorld(rotateKeys: "tomorrow");

        var plan = world.Step();

        Assert.NotNull(world.Status!.PublicKey1);
        Assert.Null(world.Status.Rotation!.Handled);
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.InvalidRotationToken), (ready.Status, ready.Reason));
        Assert.Contains("\"tomorrow\"", ready.Message);
        Assert.Contains(plan.Events, e => e is { Type: EventType.Warning, Reason: EventReasons.InvalidRotationToken });
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void With_validation_publishes_the_keys_at_once_but_no_connection_until_a_login_succeeds()
    {
        var world = new ReconcileWorld(validate: true);
        world.Spec.HostKey = FakeBastion.HostKeyLine;

        var plan = world.Step();

        Assert.NotNull(world.Status!.PublicKey1);
        Assert.NotNull(world.Status.PublicKey2);
        Assert.Null(world.Status.Connection);
        Assert.False(world.Secret!.Data.ContainsKey(KeySecretLayout.Host));
        var ready = world.Condition(ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ValidationPending), (ready.Status, ready.Reason));
        Assert.Contains("No connection is in effect yet.", ready.Message);
        Assert.Equal(("Unknown", ConditionReasons.ValidationPending), (world.Condition(ConditionTypes.Validated).Status, world.Condition(ConditionTypes.Validated).Reason));

        var probe = Assert.IsType<Core.Validation.ProbeRequest>(plan.Probe);
        var secret = KeySecretCodec.Read(world.Secret).Secret!;
        Assert.Equal(new ConnectionParameters("bastion.example.com", 22, "materialize"), probe.Connection);
        Assert.Equal(secret.Key1.PrivateKey, probe.PrivateKey1);
        Assert.Equal(secret.Key2.PrivateKey, probe.PrivateKey2);
        Assert.Equal(FakeBastion.HostKeyLine, probe.HostKeyPin);
    }

    [Fact]
    public void With_validation_the_connection_takes_effect_once_the_bastion_accepts_key_1()
    {
        var world = new ReconcileWorld(validate: true);
        world.RunProbe(world.Step());
        Assert.Equal("False", world.Condition(ConditionTypes.Ready).Status);

        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.RunProbe(world.Step());
        var plan = world.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWrite!.Kind);
        Assert.Equal(new ConnectionParameters("bastion.example.com", 22, "materialize"), world.Status!.Connection);
        Assert.Equal("bastion.example.com", world.SecretText(KeySecretLayout.Host));
        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
        Assert.Equal(ConditionReasons.Authenticated, world.Condition(ConditionTypes.Validated).Reason);
        Assert.Contains(plan.Events, e => e.Reason == EventReasons.ConnectionChanged);
        Assert.Contains(plan.Events, e => e.Reason == EventReasons.Validated);
    }

    [Fact]
    public void Never_copies_key_material_into_status_or_events()
    {
        var world = new ReconcileWorld(validate: true);
        world.Converge();

        var status = System.Text.Json.JsonSerializer.Serialize(world.Status);

        Assert.DoesNotContain("PRIVATE KEY", status);
        Assert.DoesNotContain(world.Events, e => e.Message.Contains("PRIVATE KEY", StringComparison.Ordinal));
        var privateKey = KeySecretCodec.Read(world.Secret!).Secret!.Key1.PrivateKey;
        Assert.DoesNotContain(privateKey.Split('\n')[1], status);
        Assert.DoesNotContain("PRIVATE", new KeyPair("ssh-ed25519 AAAA", privateKey).ToString());

        world.Secret = null;
        world.Now += TimeSpan.FromHours(1);
        var plan = world.Decide();
        Assert.NotNull(plan.Probe);
        Assert.DoesNotContain("PRIVATE", plan.ToString());
        Assert.DoesNotContain("PRIVATE", world.LastProbe!.ToString());
        Assert.DoesNotContain("PRIVATE", KeySecretCodec.Read(ReconcileWorld.ToSnapshot(plan.SecretWrite!.Contents, "1")).Secret!.ToString());
    }
}
