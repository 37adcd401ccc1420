using System.Text;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Reconciliation;

/// <summary>
/// Deciding from the Secret cache's verdict instead of the whole Secret: either the very plan the
/// whole Secret gives, or <see cref="ReconcilePlan.NeedsWholeSecret"/>, and the latter whenever the
/// plan would write the Secret or probe with its keys.
/// </summary>
public sealed class CachedSecretDecisionTests
{
    public static TheoryData<string, bool> Situations => new()
    {
        { "converged", false },
        { "converged with validation, restarted", false },
        { "converged after two rotations", false },
        { "converged under secretPolicy Retain", false },
        { "status conditions lost", false },
        { "rotation asked for with validation", true },
        { "rotation asked for with spec host changed", true },
        { "rotation asked for while key 2 waits for the bastion", false },
        { "new resource with an existing Secret", true },
        { "status shows other keys", true },
        { "status lost", true },
        { "Secret tampered", true },
        { "Secret holds a valid pair of other keys", true },
        { "Secret holds a forged seed", true },
        { "Secret not canonical", true },
        { "Secret lost its owner", true },
        { "Secret controlled by another object", false },
        { "spec host changed", true },
        { "probe history known", true },
        { "revalidation asked for", true },
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void The_cached_decision_is_the_whole_Secret_s_decision_or_asks_for_the_Secret(string situation, bool needsWholeSecret)
    {
        var world = Arrange(situation);

        var cached = world.DecideFromCache();
        var whole = world.Decide();

        Assert.Equal(needsWholeSecret, cached.NeedsWholeSecret);
        Assert.False(whole.NeedsWholeSecret);
        if (cached.NeedsWholeSecret)
        {
            Assert.True(cached.IsEmpty);
        }
        else
        {
            Assert.Null(whole.SecretWrite);
            Assert.Null(whole.Probe);
            Assert.Null(cached.SecretWrite);
            Assert.Equal(whole.Status, cached.Status);
            Assert.Equal(whole.Events, cached.Events);
            Assert.Equal(whole.RequeueAfter, cached.RequeueAfter);
            Assert.Equal(whole.ReadSecretByName, cached.ReadSecretByName);
        }
    }

    [Fact]
    public void A_restarted_operator_decides_every_converged_connection_from_the_cache_alone()
    {
        var world = Arrange("converged with validation, restarted");

        var plan = world.DecideFromCache();
        Assert.False(plan.NeedsWholeSecret);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_converged_connection_whose_pairs_this_process_has_not_checked_reads_its_Secret_once()
    {
        var world = Arrange("converged with validation, restarted");

        Assert.True(world.DecideFromCache(pairsConfirmed: false).NeedsWholeSecret);
        Assert.True(world.Decide().IsEmpty);
    }

    [Fact]
    public void A_forged_seed_is_readable_by_the_verdict_but_never_confirmed_and_the_whole_Secret_is_refused()
    {
        var world = Arrange("Secret holds a forged seed");

        var verdict = KeySecretVerdict.Of(world.Secret!);

        Assert.True(verdict.Readable);
        Assert.False(verdict.PairsConfirmed);
        Assert.Equal(ConditionReasons.SecretInvalid, world.Decide().Status!.Conditions.Single(c => c.Type == ConditionTypes.Ready).Reason);
    }

    [Fact]
    public void A_bumped_annotation_rotates_once_by_a_promotion_that_leaves_what_the_whole_Secret_would()
    {
        var cached = Arrange("rotation asked for");
        var whole = Arrange("rotation asked for");
        var key2 = cached.Status!.PublicKey2;

        var plan = cached.DecideFromCache();
        Assert.False(plan.NeedsWholeSecret);
        Assert.Equal(SecretWriteKind.Promote, plan.SecretWrite!.Kind);
        Assert.DoesNotContain(KeySecretLayout.PrivateKey1, plan.SecretWrite.Contents.Data.Keys);
        cached.Execute(plan);
        whole.Converge();

        Assert.Equal(key2, cached.Status.PublicKey1);
        Assert.Equal(whole.Status, cached.Status);
        Assert.Equal(whole.Events, cached.Events);
        Assert.Equal(whole.Secret!.Annotations, cached.Secret!.Annotations);
        Assert.Equal(whole.Secret.Data.ToDictionary(e => e.Key, e => Convert.ToBase64String(e.Value)), cached.Secret.Data.ToDictionary(e => e.Key, e => Convert.ToBase64String(e.Value)));
        Assert.Equal(1, cached.RotationsWritten);
        Assert.True(cached.DecideFromCache().IsEmpty);
    }

    [Fact]
    public void A_rotation_of_pairs_this_process_has_not_checked_needs_the_whole_Secret()
    {
        var world = Arrange("rotation asked for");

        Assert.True(world.DecideFromCache(pairsConfirmed: false).NeedsWholeSecret);
    }

    [Fact]
    public void The_verdict_keeps_no_private_key()
    {
        var world = Arrange("converged");

        var verdict = KeySecretVerdict.Of(world.Secret!);

        Assert.DoesNotContain("PRIVATE KEY", verdict.ToString(), StringComparison.Ordinal);
        Assert.True(verdict.Readable);
        Assert.True(verdict.Canonical);
        Assert.Null(verdict.KnownHosts);
    }

    [Fact]
    public void The_verdict_on_an_unreadable_Secret_says_only_that()
    {
        var world = Arrange("Secret tampered");

        Assert.Equal(new KeySecretVerdict(false, false, false, UInt128.Zero, null), KeySecretVerdict.Of(world.Secret!));
    }

    private static ReconcileWorld Arrange(string situation)
    {
        var world = new ReconcileWorld(validate: situation.Contains("validation", StringComparison.Ordinal), rotateKeys: "1");
        if (situation.Contains("Retain", StringComparison.Ordinal))
        {
            world.ChangeSpec(spec => spec.SecretPolicy = SecretPolicy.Retain);
        }

        world.Converge();
        if (world.Spec.Validate)
        {
            world.Bastion.Authorize(world.Status!.PublicKey1);
            world.Bastion.Authorize(world.Status.PublicKey2);
            world.Now += ReconcileInput.DefaultRevalidationInterval;
            world.Converge();
            Assert.NotNull(world.Status.Connection);
        }

        switch (situation)
        {
            case "converged with validation, restarted":
                world.LastProbe = null;
                break;
            case "converged after two rotations":
                world.RotateKeys = "2";
                world.Converge();
                world.RotateKeys = "3";
                world.Converge();
                break;
            case "status conditions lost":
                world.Status = world.Status! with { Conditions = [] };
                break;
            case "rotation asked for":
            case "rotation asked for with validation":
                world.RotateKeys = "2";
                break;
            case "rotation asked for with spec host changed":
                world.RotateKeys = "2";
                world.ChangeSpec(spec => spec.Host = "bastion-2.example.com");
                break;
            case "rotation asked for while key 2 waits for the bastion":
                ValidateThenRestart(world);
                world.RotateKeys = "2";
                break;
            case "new resource with an existing Secret":
                world.Status = null;
                world.Secret = world.Secret! with { ControllerOwnerUid = null };
                break;
            case "status shows other keys":
                world.Status = world.Status! with { PublicKey1 = world.Status.PublicKey2 };
                break;
            case "status lost":
                world.Status = null;
                break;
            case "Secret tampered":
                world.EditSecret(data => data[KeySecretLayout.PublicKey2] = data[KeySecretLayout.PublicKey1]);
                break;
            case "Secret holds a valid pair of other keys":
                var other = world.Keys.Create("other");
                world.EditSecret(data =>
                {
                    data[KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes(other.PublicKey);
                    data[KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(other.PrivateKey);
                });
                break;
            case "Secret holds a forged seed":
                world.EditSecret(data =>
                {
                    Assert.True(OpenSshPrivateKey.TryParse(Encoding.UTF8.GetString(data[KeySecretLayout.PrivateKey2]), out var parsed, out _));
                    data[KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(OpenSshPrivateKey.Format(new byte[32], parsed.PublicKey, parsed.Comment, parsed.CheckInt));
                });
                break;
            case "Secret not canonical":
                world.EditSecret(data => data[KeySecretLayout.PublicKey1] = [.. data[KeySecretLayout.PublicKey1], .. "\n"u8]);
                break;
            case "Secret lost its owner":
                world.Secret = world.Secret! with { ControllerOwnerUid = null };
                break;
            case "Secret controlled by another object":
                world.Secret = world.Secret! with { ControllerOwnerUid = "someone-else" };
                break;
            case "spec host changed":
                world.ChangeSpec(spec => spec.Host = "bastion2.example.com");
                break;
            case "probe history known":
                world.ChangeSpec(spec => spec.Validate = true);
                world.Converge();
                break;
            case "revalidation asked for":
                ValidateThenRestart(world);
                world.Revalidate = "1";
                break;
        }

        return world;
    }

    /// <summary>Turns validation on against a bastion that trusts neither key, converges, and forgets the probes as a restart does.</summary>
    private static void ValidateThenRestart(ReconcileWorld world)
    {
        world.ChangeSpec(spec => spec.Validate = true);
        world.Converge();
        world.LastProbe = null;
    }
}
