using Kube.Controller.Backoff;

namespace Kube.Controller.Tests.Backoff;

/// <summary>The one backoff of the controller: initial, doubling, capped; jitter only ever shortens it.</summary>
public sealed class ExponentialBackoffTests
{
    private static readonly ExponentialBackoff Backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData(-3, 100)]
    [InlineData(0, 100)]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void The_wait_doubles_per_failure_up_to_the_maximum(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Backoff.After(failures));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void The_jittered_wait_lies_between_half_and_all_of_the_wait(int failures)
    {
        var random = new Random(failures);
        for (var draw = 0; draw < 100; draw++)
        {
            Assert.InRange(Backoff.Jittered(failures, random), Backoff.After(failures) / 2, Backoff.After(failures));
        }
    }
}
