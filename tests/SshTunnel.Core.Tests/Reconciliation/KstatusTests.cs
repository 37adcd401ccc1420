using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

/// <summary>
/// Every state the reconciler leaves a connection in, read by kstatus's rules
/// (<see cref="Kstatus"/>: cli-utils pkg/kstatus/status, status.go <c>Compute</c> and
/// <c>checkReadyCondition</c>, generic.go <c>checkGenericProperties</c> and <c>checkGeneration</c>,
/// core.go <c>GetLegacyConditionsFn</c>), as Flux's <c>wait: true</c> reads it.
/// </summary>
public sealed class KstatusTests
{
    /// <summary>State name, the expected kstatus, and the Reconciling or Stalled condition expected (type and reason), if any.</summary>
    public static TheoryData<string, string, string?, string?> States => new()
    {
        { "validate false, keys published", Kstatus.Current, null, null },
        { "validate true, new, waiting for the first login", Kstatus.InProgress, ConditionTypes.Reconciling, ConditionReasons.ValidationPending },
        { "validate true, key 1 accepted", Kstatus.Current, null, null },
        { "validate true, key 1 refused", Kstatus.Failed, ConditionTypes.Stalled, nameof(ProbeOutcome.AuthenticationFailed) },
        { "validate true, host key does not match the pin", Kstatus.Failed, ConditionTypes.Stalled, nameof(ProbeOutcome.HostKeyMismatch) },
        { "validate true, connection refused (retried)", Kstatus.InProgress, ConditionTypes.Reconciling, nameof(ProbeOutcome.ConnectionRefused) },
        { "validate true, timeout (retried)", Kstatus.InProgress, ConditionTypes.Reconciling, nameof(ProbeOutcome.Timeout) },
        { "validate true, name resolution failed (retried)", Kstatus.InProgress, ConditionTypes.Reconciling, nameof(ProbeOutcome.NameResolutionFailed) },
        { "validate true, protocol error (retried)", Kstatus.InProgress, ConditionTypes.Reconciling, nameof(ProbeOutcome.ProtocolError) },
        { "validate true, key 1 refused on revalidation of the connection in effect", Kstatus.Failed, ConditionTypes.Stalled, nameof(ProbeOutcome.AuthenticationFailed) },
        { "validate true, spec changed, new connection waiting for its login", Kstatus.InProgress, ConditionTypes.Reconciling, ConditionReasons.ValidationPending },
        { "validate true, rotated, new key 1 not probed yet", Kstatus.Current, null, null },
        { "validate true, a second bump waits for the probe of the new key 2", Kstatus.InProgress, ConditionTypes.Reconciling, ConditionReasons.RotationPending },
        { "validate true, a bump blocked because the bastion refuses key 2", Kstatus.Failed, ConditionTypes.Stalled, ConditionReasons.RotationBlocked },
        { "spec changed, not yet seen by the operator", Kstatus.InProgress, null, null },
        { "rotate-keys annotation not an integer", Kstatus.Failed, ConditionTypes.Stalled, ConditionReasons.InvalidRotationToken },
        { "key Secret owned by someone else", Kstatus.Failed, ConditionTypes.Stalled, ConditionReasons.SecretConflict },
        { "key Secret edited into an invalid one", Kstatus.Failed, ConditionTypes.Stalled, ConditionReasons.SecretInvalid },
        { "invalid key Secret deleted, keys regenerated", Kstatus.Current, null, null },
        { "rotate-keys annotation corrected", Kstatus.Current, null, null },
        { "being deleted (another finalizer holds it)", Kstatus.Terminating, null, null },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Kstatus_reads_every_state_as_intended(string state, string expected, string? abnormalType, string? abnormalReason)
    {
        var world = Reach(state);

        Assert.Equal(expected, Kstatus.Compute(Kstatus.Served(world, state.StartsWith("being deleted", StringComparison.Ordinal) ? "2026-11-27T09:05:00Z" : null)));
        var abnormal = world.Status!.Conditions.Where(c => c.Type is ConditionTypes.Reconciling or ConditionTypes.Stalled).ToList();
        if (abnormalType is null)
        {
            Assert.Empty(abnormal);
        }
        else
        {
            var condition = Assert.Single(abnormal);
            Assert.Equal((abnormalType, "True", abnormalReason), (condition.Type, condition.Status, condition.Reason));
            Assert.Equal(world.Condition(ConditionTypes.Ready).Message, condition.Message);
        }
    }

    [Fact]
    public void A_resource_the_operator_has_not_written_yet_reads_Current_so_its_first_reconcile_writes_status_before_any_probe()
    {
        var world = new ReconcileWorld(validate: true);

        Assert.Equal(Kstatus.Current, Kstatus.Compute(Kstatus.Served(world)));
        var plan = world.Decide();

        Assert.NotNull(plan.Status);
        world.Step();
        Assert.Equal(Kstatus.InProgress, Kstatus.Compute(Kstatus.Served(world)));
    }

    [Fact]
    public void Stalled_keeps_its_transition_time_while_it_holds_and_goes_when_the_problem_is_fixed()
    {
        var world = Reach("validate true, key 1 refused");
        var since = world.Condition(ConditionTypes.Stalled).LastTransitionTime;
        world.Now += ReconcileInput.DefaultRevalidationInterval;

        world.Converge();

        Assert.Equal(since, world.Condition(ConditionTypes.Stalled).LastTransitionTime);
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();
        Assert.Equal(Kstatus.Current, Kstatus.Compute(Kstatus.Served(world)));
    }

    private static ReconcileWorld Reach(string state)
    {
        switch (state)
        {
            case "validate false, keys published":
            case "being deleted (another finalizer holds it)":
                return Converged(new ReconcileWorld());
            case "validate true, new, waiting for the first login":
                return Stepped(new ReconcileWorld(validate: true));
            case "validate true, key 1 accepted":
                return Authorized();
            case "validate true, key 1 refused":
                return Converged(new ReconcileWorld(validate: true));
            case "validate true, host key does not match the pin":
                var pinned = new ReconcileWorld(validate: true);
                pinned.ChangeSpec(s => s.HostKey = "SHA256:" + new string('A', 43));
                return Converged(pinned);
            case "validate true, connection refused (retried)":
                return Failing(ProbeOutcome.ConnectionRefused);
            case "validate true, timeout (retried)":
                return Failing(ProbeOutcome.Timeout);
            case "validate true, name resolution failed (retried)":
                return Failing(ProbeOutcome.NameResolutionFailed);
            case "validate true, protocol error (retried)":
                return Failing(ProbeOutcome.ProtocolError);
            case "validate true, key 1 refused on revalidation of the connection in effect":
                var revoked = Authorized();
                revoked.Bastion.AuthorizedKeys.Clear();
                revoked.Now += ReconcileInput.DefaultRevalidationInterval;
                return Converged(revoked);
            case "validate true, spec changed, new connection waiting for its login":
                var changed = Authorized();
                changed.ChangeSpec(s => s.Port = 2222);
                return Stepped(changed);
            case "validate true, rotated, new key 1 not probed yet":
                var rotated = Authorized();
                rotated.RotateKeys = "1";
                return Stepped(rotated);
            case "validate true, a second bump waits for the probe of the new key 2":
                var twice = Authorized();
                twice.RotateKeys = "1";
                twice.Step();
                twice.RotateKeys = "2";
                return Stepped(twice);
            case "validate true, a bump blocked because the bastion refuses key 2":
                var blocked = Stepped(new ReconcileWorld(validate: true));
                blocked.Bastion.Authorize(blocked.Status!.PublicKey1);
                Converged(blocked).RotateKeys = "1";
                return Stepped(blocked);
            case "spec changed, not yet seen by the operator":
                var unseen = Converged(new ReconcileWorld());
                unseen.ChangeSpec(s => s.User = "analytics");
                return unseen;
            case "rotate-keys annotation not an integer":
                return Converged(new ReconcileWorld(rotateKeys: "next-week"));
            case "key Secret owned by someone else":
                var foreign = Converged(new ReconcileWorld());
                foreign.Secret = foreign.Secret! with { ControllerOwnerUid = "someone-else" };
                return Stepped(foreign);
            case "key Secret edited into an invalid one":
                return Invalid();
            case "invalid key Secret deleted, keys regenerated":
                var recreated = Invalid();
                recreated.Secret = null;
                return Converged(recreated);
            case "rotate-keys annotation corrected":
                var corrected = Converged(new ReconcileWorld(rotateKeys: "next-week"));
                corrected.RotateKeys = "1764200000";
                return Converged(corrected);
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "no such state");
        }
    }

    private static ReconcileWorld Converged(ReconcileWorld world)
    {
        world.Converge();
        return world;
    }

    private static ReconcileWorld Stepped(ReconcileWorld world)
    {
        world.Step();
        return world;
    }

    private static ReconcileWorld Authorized()
    {
        var world = Stepped(new ReconcileWorld(validate: true));
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Bastion.Authorize(world.Status.PublicKey2);
        return Converged(world);
    }

    private static ReconcileWorld Failing(ProbeOutcome outcome)
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = outcome;
        return Converged(world);
    }

    private static ReconcileWorld Invalid()
    {
        var world = Converged(new ReconcileWorld());
        world.EditSecret(data => data.Remove(KeySecretLayout.PrivateKey2));
        return Stepped(world);
    }
}
