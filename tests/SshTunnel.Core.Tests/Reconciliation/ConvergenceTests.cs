using CsCheck;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Reconciliation;

public sealed class ConvergenceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deciding_on_its_own_output_gives_an_empty_plan(bool validate)
    {
        var world = new ReconcileWorld(validate, rotateKeys: "5");
        world.Converge();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Now += ReconcileInput.DefaultRevalidationInterval;
        world.Converge();

        var status = world.Status;
        var secret = world.Secret;
        for (var round = 0; round < 3; round++)
        {
            Assert.True(world.Step().IsEmpty);
        }

        Assert.Same(status, world.Status);
        Assert.Same(secret, world.Secret);
    }

    [Fact]
    public void A_status_that_comes_back_through_the_watch_as_an_equal_copy_gives_an_empty_plan()
    {
        var world = new ReconcileWorld(validate: true);
        world.Converge();
        world.Status = world.Status! with
        {
            Conditions = world.Status.Conditions.Select(c => c with { LastTransitionTime = c.LastTransitionTime.ToOffset(TimeSpan.FromHours(2)) }).ToList(),
            Rotation = world.Status.Rotation! with { },
            Connection = world.Status.Connection is { } connection ? connection with { } : null,
        };

        Assert.Empty(world.Decide().Events);
        Assert.Null(world.Decide().Status);
    }

    [Fact]
    public void Condition_times_are_whole_seconds_so_they_survive_the_API_server()
    {
        var world = new ReconcileWorld();

        world.Step();

        Assert.All(world.Status!.Conditions, c => Assert.Equal(0, c.LastTransitionTime.Millisecond));
    }

    [Fact]
    public void A_message_change_keeps_the_last_transition_time_and_a_status_change_moves_it()
    {
        var world = new ReconcileWorld(validate: true);
        world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
        world.RunProbe(world.Step());
        world.Step();
        var failedAt = world.Condition(ConditionTypes.Ready).LastTransitionTime;

        world.Now += TimeSpan.FromMinutes(5);
        world.Bastion.Failure = ProbeOutcome.Timeout;
        world.RunProbe(world.Step());
        world.Step();
        Assert.Contains("Timeout", world.Condition(ConditionTypes.Ready).Message);
        Assert.Equal(failedAt, world.Condition(ConditionTypes.Ready).LastTransitionTime);

        world.Now += TimeSpan.FromMinutes(5);
        world.Bastion.Failure = null;
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Converge();

        Assert.Equal("True", world.Condition(ConditionTypes.Ready).Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 10, 0, TimeSpan.Zero), world.Condition(ConditionTypes.Ready).LastTransitionTime);
    }

    [Fact]
    public void Any_sequence_of_annotation_values_rotates_exactly_once_per_increase()
    {
        var value = Gen.Frequency(
            (8, Gen.Long[-3, 12].Select(v => (string?)v.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Const((string?)null)),
            (1, Gen.OneOf<string?>("soon", "1.5", "99999999999999999999", "")));
        var step = Gen.Select(value, Gen.Bool, (annotation, crash) => (annotation, crash));

        Gen.Select(value, step.Array[0, 12]).Sample(
            (initial, steps) =>
            {
                var world = new ReconcileWorld(rotateKeys: initial);
                world.Converge();
                var handled = RotationToken.Parse(initial).Value;
                var expected = 0;

                foreach (var (annotation, crash) in steps)
                {
                    world.RotateKeys = annotation;
                    if (RotationToken.Parse(annotation).Value is { } v && (handled is null || v > handled))
                    {
                        handled = v;
                        expected++;
                    }

                    if (crash)
                    {
                        world.Step(crashBeforeStatus: true);
                    }

                    world.Converge();
                    Assert.Equal(expected, world.Status!.Rotation!.Count);
                    Assert.Equal(handled?.ToString(System.Globalization.CultureInfo.InvariantCulture), world.Status.Rotation.Handled);
                }

                Assert.Equal(2 + expected, world.Keys.Created);
                Assert.Equal(expected, world.Events.Count(e => e.Reason == EventReasons.KeysRotated));
                Assert.Equal(expected, world.RotationsWritten);
            },
            iter: 200,
            threads: 1);
    }

    [Fact]
    public void An_unrelated_annotation_change_gives_an_empty_plan()
    {
        var world = new ReconcileWorld(rotateKeys: "1");
        world.Converge();

        world.Annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{}";

        Assert.True(world.Decide().IsEmpty);
    }
}
