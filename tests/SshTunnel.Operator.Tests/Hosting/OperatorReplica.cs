using System.Globalization;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>
/// One replica of the real operator binary with leader election on, against a kubeconfig:
/// whether it is ready and whether it leads, as a kubelet and Prometheus see it.
/// </summary>
public sealed class OperatorReplica : IAsyncDisposable
{
    public const string LeaseName = "ssh-tunnel-operator";

    private OperatorReplica(OperatorProcess process) => Process = process;

    public OperatorProcess Process { get; }

    /// <summary>Starts a replica; <paramref name="leaseDuration"/> with the other durations scaled from it.</summary>
    public static OperatorReplica Start(string kubeconfig, TimeSpan leaseDuration)
    {
        string Seconds(double fraction) => (leaseDuration.TotalSeconds * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return new OperatorReplica(OperatorProcess.Start(
            kubeconfig,
            [
                "--leader-elect", "--leader-election-namespace", "default",
                "--leader-election-lease-duration", Seconds(1), "--leader-election-renew-deadline", Seconds(0.5),
                "--leader-election-retry-period", Seconds(0.0625), "--workers", "2",
            ]));
    }

    public Task<bool> IsReadyAsync() => Process.IsReadyAsync();

    public async Task<bool> IsLeaderAsync() =>
        await Process.ScrapeOrNullAsync() is { } scrape && scrape.Value("leader_election_master_status", "name=" + LeaseName) == 1;

    public Task<PrometheusScrape> ScrapeAsync() => Process.ScrapeAsync();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
