using SshTunnel.Operator.Hosting;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>Readiness means "can serve", not "holds the lease".</summary>
public sealed class ReadinessTests
{
    [Fact]
    public void A_standby_is_ready_while_it_contends()
    {
        var readiness = new Readiness();
        Assert.False(readiness.IsReady);

        readiness.Contending();

        Assert.True(readiness.IsReady);
    }

    [Fact]
    public void A_leader_is_ready_once_its_caches_synced()
    {
        var readiness = new Readiness();
        readiness.Contending();

        readiness.Working();
        Assert.False(readiness.IsReady);

        readiness.Synced();
        Assert.True(readiness.IsReady);
    }

    [Fact]
    public void Nobody_is_ready_once_stopping()
    {
        var readiness = new Readiness();
        readiness.Contending();
        readiness.Working();
        readiness.Synced();

        readiness.Stopping();

        Assert.False(readiness.IsReady);
    }
}
