using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Tests.Testing;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>Two contenders for one Lease on the emulator.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TestCluster.StartAsync(withCrds: false);

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private static LeaderElectionOptions Contender(string identity) => new()
    {
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(4),
        RenewDeadline = TimeSpan.FromSeconds(3),
        RetryPeriod = TimeSpan.FromMilliseconds(250),
    };

    [Fact]
    public async Task Only_one_contender_works_and_the_other_takes_over_when_it_stops()
    {
        var working = new HashSet<string>();
        var everWorked = new HashSet<string>();
        var overlapped = false;
        Task Work(string identity, CancellationToken token)
        {
            lock (working)
            {
                overlapped |= working.Count > 0;
                working.Add(identity);
                everWorked.Add(identity);
            }

            return Task.Delay(Timeout.Infinite, token).ContinueWith(
                _ =>
                {
                    lock (working)
                    {
                        working.Remove(identity);
                    }
                },
                TaskScheduler.Default);
        }

        bool Working(string identity)
        {
            lock (working)
            {
                return working.Contains(identity);
            }
        }

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = LeaderElection.RunWhileLeadingAsync(cluster.Client, Contender("first"), token => Work("first", token), NullLogger.Instance, stopFirst.Token);
        await Eventually.Until(() => Working("first"), "the first contender to lead");
        var second = LeaderElection.RunWhileLeadingAsync(cluster.Client, Contender("second"), token => Work("second", token), NullLogger.Instance, stopSecond.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(Working("second"));

        await stopFirst.CancelAsync();
        await first.WaitAsync(Eventually.DefaultTimeout);
        Assert.False(Working("first"));
        await Eventually.Until(() => Working("second"), "the second contender to take over");

        await stopSecond.CancelAsync();
        await second.WaitAsync(Eventually.DefaultTimeout);
        Assert.False(overlapped);
        Assert.Equal(["first", "second"], everWorked.Order());
    }
}
