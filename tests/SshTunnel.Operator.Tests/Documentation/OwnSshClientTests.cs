using SshTunnel.Core.Model;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Operator.Tests.Documentation;

/// <summary>
/// The README's "With your own ssh client" commands, run as they are printed: the files come out of the Secret the
/// operator wrote (through the real kubectl), the real ssh client opens the tunnel through a real sshd to an echo
/// server. Only the -L argument is changed, to free local ports and the echo server.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OwnSshClientTests : IAsyncLifetime
{
    private const string Marker = "tests/SshTunnel.Operator.Tests/Documentation runs this block";
    private const string ReadmeForward = "-L 5432:db.internal:5432";
    private const string Name = "warehouse-bastion";

    private readonly DirectoryInfo workspace = Directory.CreateTempSubdirectory("own-ssh-client-");
    private readonly SshdServer sshd = new();
    private readonly EchoServer echo = new();
    private OperatorHarness harness = null!;
    private string key1 = string.Empty;
    private string key2 = string.Empty;

    private static IReadOnlyList<string> Blocks { get; } = ReadmeShellBlocks.After(Marker, 2);

    private Dictionary<string, string?> Environment => new() { ["HOME"] = workspace.FullName, ["KUBECONFIG"] = Path.Combine(workspace.FullName, "kubeconfig") };

    public async Task InitializeAsync()
    {
        await sshd.InitializeAsync();
        harness = await OperatorHarness.StartAsync();
        harness.Cluster.Emulator.WriteKubeconfig(Path.Combine(workspace.FullName, "kubeconfig"));

        // Validation writes known_hosts: keys first (validate: false), then validate once the bastion trusts key 1.
        await harness.CreateAsync(Name, new ConnectionSpec { Host = sshd.Host, Port = sshd.Port, User = sshd.User, Validate = false });
        var published = await harness.WaitAsync(Name, c => c.Status?.PublicKey2 is not null, "both public keys");
        (key1, key2) = (published.Status!.PublicKey1!, published.Status.PublicKey2!);
        sshd.SetAuthorizedKeys(key1);
        await harness.ReplaceSpecAsync(Name, spec => spec["validate"] = true);
        await Eventually.Until(
            async () => (await harness.GetSecretAsync(Name))?.Data?.ContainsKey("known_hosts") ?? false,
            "known_hosts in the Secret after validation");

        var extracted = await ProcessRunner.RunAsync("bash", ["-euo", "pipefail", "-c", Blocks[0]], Options());
        extracted.Succeeded();
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await echo.DisposeAsync();
        await sshd.DisposeAsync();
        workspace.Delete(recursive: true);
    }

    [Fact]
    public async Task Connects_and_forwards_when_the_bastion_trusts_only_key_2()
    {
        sshd.SetAuthorizedKeys(key2);

        await AssertForwardsAsync();
    }

    [Fact]
    public async Task Connects_and_forwards_when_the_bastion_trusts_only_key_1()
    {
        sshd.SetAuthorizedKeys(key1);

        await AssertForwardsAsync();
    }

    [Fact]
    public async Task Refuses_a_bastion_whose_host_key_is_not_the_one_in_known_hosts()
    {
        sshd.SetAuthorizedKeys(key1, key2);
        var knownHosts = Path.Combine(workspace.FullName, "known_hosts");
        var pinned = (await File.ReadAllTextAsync(knownHosts)).Split(' ');
        var impostor = SshKeyPair.Generate("impostor").PublicKeyLine.Split(' ');
        await File.WriteAllTextAsync(knownHosts, $"{pinned[0]} {impostor[0]} {impostor[1]}\n");

        var refused = await ProcessRunner.RunAsync("bash", ["-c", Tunnel(FreePort.Find())], Options());

        Assert.Equal(255, refused.ExitCode);
        Assert.Contains("Host key verification failed.", refused.Error, StringComparison.Ordinal);
    }

    private async Task AssertForwardsAsync()
    {
        var localPort = FreePort.Find();
        await using var ssh = RunningProcess.Start("bash", ["-c", Tunnel(localPort)], Options());

        var answer = await EchoServer.ThroughTunnelAsync(ssh, localPort, "through the bastion\n", () => "sshd:\n" + sshd.Log);

        Assert.Equal("through the bastion\n", answer);
    }

    /// <summary>The README's ssh command with its one -L argument pointed at <paramref name="localPort"/> and the echo server.</summary>
    private string Tunnel(int localPort)
    {
        Assert.Equal(2, Blocks[1].Split(ReadmeForward).Length);
        return Blocks[1].Replace(ReadmeForward, $"-L {localPort}:127.0.0.1:{echo.Port}", StringComparison.Ordinal);
    }

    private ProcessOptions Options() => new() { WorkingDirectory = workspace.FullName, Environment = Environment };
}
