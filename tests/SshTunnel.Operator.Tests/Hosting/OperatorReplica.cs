using System.Globalization;
using SshTunnel.Chart.Tests.Install;
using SshTunnel.Operator.Tests.Observability;
using SshTunnel.Testing.Network;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>
/// One replica of the real operator binary with leader election on, against a kubeconfig, with
/// its health port: whether it is ready and whether it leads, as a kubelet and Prometheus see it.
/// </summary>
public sealed class OperatorReplica : IAsyncDisposable
{
    public const string LeaseName = "ssh-tunnel-operator";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private OperatorReplica(OperatorProcess process, int healthPort)
    {
        Process = process;
        HealthPort = healthPort;
    }

    public OperatorProcess Process { get; }

    public int HealthPort { get; }

    /// <summary>Starts a replica; <paramref name="leaseDuration"/> with the other durations scaled from it.</summary>
    public static OperatorReplica Start(string kubeconfig, TimeSpan leaseDuration)
    {
        var port = FreePort.Find();
        string Seconds(double fraction) => (leaseDuration.TotalSeconds * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        var process = OperatorProcess.Start(
            [
                "--leader-elect", "--leader-election-namespace", "default", "--health-port", port.ToString(CultureInfo.InvariantCulture),
                "--leader-election-lease-duration", Seconds(1), "--leader-election-renew-deadline", Seconds(0.5),
                "--leader-election-retry-period", Seconds(0.0625), "--workers", "2",
            ],
            kubeconfig);
        return new OperatorReplica(process, port);
    }

    public async Task<bool> IsReadyAsync() => await GetStatusAsync("/readyz") == 200;

    public async Task<bool> IsLeaderAsync() =>
        await ScrapeOrNullAsync() is { } scrape && scrape.Value("leader_election_master_status", "name=" + LeaseName) == 1;

    /// <summary>Whether the replica works and has nothing left to do (<c>/debug/idle</c>), its own writes seen by its caches.</summary>
    public async Task<bool> IsIdleAsync() => await GetStatusAsync("/debug/idle") == 200;

    public Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.FetchAsync(Http, HealthPort);

    public async Task<PrometheusScrape?> ScrapeOrNullAsync()
    {
        try
        {
            return await ScrapeAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task<int> GetStatusAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}{path}"));
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}
