using CsCheck;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

/// <summary>
/// Random histories of user and bastion actions, with crashes between the Secret write and
/// the status write, checked against the invariants the design promises.
/// </summary>
public sealed class InvariantTests
{
    private enum Action
    {
        Bump,
        RevertAnnotation,
        BreakAnnotation,
        ChangeHost,
        ResetPort,
        SetPort,
        ToggleValidate,
        AuthorizeKeys,
        RevokeKeys,
        BastionDown,
        BastionUp,
        DeleteSecret,
        Wait,
        CrashingStep,
    }

    [Fact]
    public void Random_histories_keep_every_promise()
    {
        var actions = Gen.Enum<Action>().Array[1, 25];

        Gen.Select(Gen.Bool, Gen.Bool, actions).Sample(
            (validate, guarded, history) =>
            {
                var world = new ReconcileWorld(validate, rotateKeys: "10");
                if (!guarded)
                {
                    world.ChangeSpec(spec => spec.Rotation = new RotationSpec { Guard = RotationGuard.None });
                }

                var model = new Model();
                Settle(world, model);

                foreach (var action in history)
                {
                    Apply(world, model, action);
                    Settle(world, model);
                }
            },
            iter: 150,
            threads: 1);
    }

    private sealed class Model
    {
        public long Handled { get; set; } = 10;

        public long Next { get; set; } = 10;

        public long Rotations { get; set; }

        /// <summary>A bump greater than the handled value that has not been carried out yet.</summary>
        public bool Pending { get; set; }

        /// <summary>The Secret was deleted while a bump was pending: the new keys take the value as handled without a rotation.</summary>
        public bool PendingLostWithSecret { get; set; }
    }

    private static void Apply(ReconcileWorld world, Model model, Action action)
    {
        switch (action)
        {
            case Action.Bump:
                model.Next += 1 + (model.Next % 3);
                world.RotateKeys = model.Next.ToString(System.Globalization.CultureInfo.InvariantCulture);
                model.Pending = model.Next > model.Handled;

                break;
            case Action.RevertAnnotation:
                world.RotateKeys = "3";
                model.Pending = false;
                break;
            case Action.BreakAnnotation:
                world.RotateKeys = "next-week";
                model.Pending = false;
                break;
            case Action.ChangeHost:
                world.ChangeSpec(spec => spec.Host = spec.Host == "a.example.com" ? "b.example.com" : "a.example.com");
                break;
            case Action.ResetPort:
                world.ChangeSpec(spec => spec.Port = ConnectionSpec.DefaultPort);
                break;
            case Action.SetPort:
                world.ChangeSpec(spec => spec.Port = 2222);
                break;
            case Action.ToggleValidate:
                world.ChangeSpec(spec => spec.Validate = !spec.Validate);
                break;
            case Action.AuthorizeKeys:
                world.Bastion.Authorize(world.Status?.PublicKey1);
                world.Bastion.Authorize(world.Status?.PublicKey2);
                break;
            case Action.RevokeKeys:
                world.Bastion.AuthorizedKeys.Clear();
                break;
            case Action.BastionDown:
                world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
                break;
            case Action.BastionUp:
                world.Bastion.Failure = null;
                break;
            case Action.DeleteSecret:
                world.Secret = null;
                model.PendingLostWithSecret |= model.Pending;
                break;
            case Action.Wait:
                world.Now += TimeSpan.FromMinutes(11);
                break;
            case Action.CrashingStep:
                Checked(world, () => world.Step(crashBeforeStatus: true));
                break;
        }
    }

    /// <summary>Converges, checking every step, then checks the settled state.</summary>
    private static void Settle(ReconcileWorld world, Model model)
    {
        for (var round = 0; round < 10; round++)
        {
            var plan = Checked(world, () => world.Step());
            if (plan.Probe is not null)
            {
                world.RunProbe(plan);
            }
            else if (plan.IsEmpty)
            {
                break;
            }
        }

        var settled = world.Decide();
        Assert.True(settled.IsEmpty, $"not converged: {settled}");

        var next = model.Next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (model.Pending && world.Status!.Rotation!.Handled == next)
        {
            model.Handled = model.Next;
            model.Rotations += model.PendingLostWithSecret ? 0 : 1;
            model.Pending = false;
        }

        model.PendingLostWithSecret &= model.Pending;
        var ready = world.Condition(ConditionTypes.Ready);
        if (model.Pending)
        {
            Assert.True(world.Spec.Validate && world.Spec.Guard == RotationGuard.SecondaryKeyAuthorized, "only the guard holds a bump back");
            Assert.Equal((ConditionReasons.RotationBlocked, "False"), (ready.Reason, world.Condition(ConditionTypes.SecondaryKeyAuthorized).Status));
            Assert.Contains(KeySecretCodec.Read(world.Secret!).Secret!.Key2.PublicKey, ready.Message);
        }

        var secret = KeySecretCodec.Read(world.Secret!).Secret;
        Assert.NotNull(secret);
        var status = world.Status!;
        Assert.Equal((secret.Key1.PublicKey, secret.Key2.PublicKey), (status.PublicKey1, status.PublicKey2));
        Assert.Equal(secret.Connection, status.Connection);
        Assert.Equal(secret.Rotation, status.Rotation);
        Assert.Equal(model.Rotations, status.Rotation!.Count);
        Assert.Equal(model.Handled.ToString(System.Globalization.CultureInfo.InvariantCulture), status.Rotation.Handled);
        Assert.Equal(world.Generation, status.ObservedGeneration);
        if (!world.Spec.Validate)
        {
            Assert.Equal(world.Spec.ToParameters(), status.Connection);
        }

        Assert.Equal(
            status.Connection == world.Spec.ToParameters() && (!world.Spec.Validate || world.Condition(ConditionTypes.Validated).Status != "False")
                && !world.Annotations.ContainsValue("next-week") && !model.Pending,
            ready.Status == "True");
    }

    /// <summary>One step, checking what must hold across it: one Secret write at most, key 2 never lost, validated moves only.</summary>
    private static ReconcilePlan Checked(ReconcileWorld world, Func<ReconcilePlan> step)
    {
        var before = world.Secret is null ? null : KeySecretCodec.Read(world.Secret).Secret;
        var connectionBefore = world.Secret is null ? world.Status?.Connection : before?.Connection;
        var probe = world.LastProbe;
        var validate = world.Spec.Validate;

        var plan = step();

        var after = world.Secret is null ? null : KeySecretCodec.Read(world.Secret).Secret;
        if (validate && after is not null && after.Connection != connectionBefore)
        {
            Assert.NotNull(probe);
            Assert.Equal(after.Connection, probe.Request.Connection);
            Assert.Equal(after.Key1.PrivateKey, probe.Request.PrivateKey1);
            Assert.True(probe.Result.Key1.Authenticated);
        }

        if (before is null || after is null)
        {
            return plan;
        }

        if (after.Rotation.Count == before.Rotation.Count + 1)
        {
            Assert.Equal(before.Key2, after.Key1);
        }
        else
        {
            Assert.Equal(before.Rotation.Count, after.Rotation.Count);
            Assert.Equal((before.Key1, before.Key2), (after.Key1, after.Key2));
        }

        return plan;
    }
}
