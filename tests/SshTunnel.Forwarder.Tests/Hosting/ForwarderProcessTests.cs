using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using SshTunnel.Forwarder.Tests.Support;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Forwarder.Tests.Hosting;

/// <summary>
/// The forwarder as the image runs it: a process with flags, JSON logs, health endpoints and
/// SIGTERM. It runs the build's dll, or the native executable named by
/// <c>SSHTUNNEL_FORWARDER_PROGRAM</c> (what <c>dotnet publish -r linux-x64</c> of the forwarder
/// puts out, as the image ships it).
/// </summary>
public sealed class ForwarderProcessTests
{
    private static readonly string[] Program = Environment.GetEnvironmentVariable("SSHTUNNEL_FORWARDER_PROGRAM") is { Length: > 0 } native
        ? [native]
        : ["dotnet", Path.Combine(AppContext.BaseDirectory, "SshTunnel.Forwarder.dll")];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Serves_probes_and_metrics_logs_JSON_without_keys_and_drains_on_SIGTERM()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key1 = SshKeyPair.Generate("process-1");
        var key2 = SshKeyPair.Generate("process-2");
        sshd.SetAuthorizedKeys(key2.PublicKeyLine);
        using var volume = new KubeletSecretVolume();
        volume.Write(KubeletSecretVolume.KeySecret(sshd.Host, sshd.Port, sshd.User, key1.PrivateKey, key2.PrivateKey, ForwarderHarness.KnownHostsOf(sshd)));
        await using var echo = new EchoServer();
        var (forwardPort, healthPort) = (FreePort.Find(), FreePort.Find());

        await using var process = RunningProcess.Start(Program[0],
        [
            .. Program[1..],
            "--secret-dir", volume.Path,
            "--forward", string.Create(CultureInfo.InvariantCulture, $"echo={forwardPort}:127.0.0.1:{echo.Port}"),
            "--listen-address", "127.0.0.1",
            "--health-port", healthPort.ToString(CultureInfo.InvariantCulture),
            "--drain-timeout", "1m",
        ]);
        var readyz = await Eventually.Until(
            () => GetAsync(healthPort, "/readyz"),
            answer => answer.Status == HttpStatusCode.OK,
            "/readyz to answer 200",
            describe: answer => $"{answer}\n{process.Output}");
        Assert.Contains($"authenticated with key 2 ({key2.Fingerprint})", readyz.Body, StringComparison.Ordinal);

        using var open = await EchoConnection.OpenAsync(forwardPort);
        Assert.Null(await open.RoundTripAsync());
        var metrics = (await GetAsync(healthPort, "/metrics")).Body;
        Assert.Contains("sshtunnel_forwarder_authenticated_key 2", metrics, StringComparison.Ordinal);
        Assert.Contains("sshtunnel_forwarder_active_channels{forward=\"echo\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("sshtunnel_forwarder_host_key_verified 1", metrics, StringComparison.Ordinal);
        Assert.Contains("sshtunnel_forwarder_bytes_total{forward=\"echo\",direction=\"to_target\"} 64", metrics, StringComparison.Ordinal);
        await Eventually.Until(
            async () => (await GetAsync(healthPort, "/metrics")).Body,
            body => body.Contains("sshtunnel_forwarder_bytes_total{forward=\"echo\",direction=\"from_target\"} 64", StringComparison.Ordinal),
            "the 64 echoed bytes to be counted once the client acknowledged them");

        await process.TerminateAsync();
        await Eventually.Until(
            () => Task.FromResult(process.Output.Contains("Draining", StringComparison.Ordinal)),
            done => done,
            "the forwarder to start draining");
        Assert.False(process.HasExited);
        Assert.Null(await open.RoundTripAsync());
        await Assert.ThrowsAsync<SocketException>(() => EchoConnection.OpenAsync(forwardPort));

        open.Dispose();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(exit.Token);
        Assert.Equal(0, process.ExitCode);

        var lines = process.StandardOutputLines.Where(line => line.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        foreach (var secret in new[] { key1.PrivateKey, key2.PrivateKey })
        {
            var body = secret.Split('\n')[1];
            Assert.DoesNotContain(body, process.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<(HttpStatusCode? Status, string Body)> GetAsync(int port, string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
    }
}
