using System.Net;
using System.Net.Sockets;
using System.Text;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.Sshd;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 and a free port, with its own directory, config, Ed25519
/// host key and authorized_keys file. sshd re-reads authorized_keys at every login, so tests
/// authorize and revoke keys without restarting it. Use it as an xunit fixture
/// (<see cref="IAsyncLifetime"/>) or standalone through <see cref="StartAsync"/>; print
/// <see cref="Log"/> when a test fails, since every refusal looks alike to the client.
/// </summary>
public sealed class SshdServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>sshd refuses to start unless it is run by its absolute path.</summary>
    public const string SshdPath = "/usr/sbin/sshd";

    private const int StartAttempts = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("sshd-fixture-");
    private readonly List<string> authorizedKeys = [];
    private string earlierAttempts = string.Empty;
    private RunningProcess? process;

    /// <summary>The address sshd listens on.</summary>
    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>The only user sshd lets in: the one running the tests (root on CI).</summary>
    public string User { get; } = Environment.UserName;

    /// <summary>sshd's host key as an OpenSSH public key line without comment: <c>ssh-ed25519 AAAA...</c>.</summary>
    public string HostKeyLine { get; private set; } = string.Empty;

    /// <summary>The host key's fingerprint exactly as <c>ssh-keygen -l -f hostkey.pub</c> prints it.</summary>
    public string HostKeyFingerprint { get; private set; } = string.Empty;

    public string HostKeyPublicPath => HostKeyPath + ".pub";

    public string AuthorizedKeysPath => Path.Combine(directory.FullName, "authorized_keys");

    /// <summary>Everything sshd wrote to stderr so far (it runs with <c>-e</c> and <c>LogLevel VERBOSE</c>).</summary>
    public string Log => earlierAttempts + process?.Output;

    private string HostKeyPath => Path.Combine(directory.FullName, "ssh_host_ed25519_key");

    private string ConfigPath => Path.Combine(directory.FullName, "sshd_config");

    /// <summary>
    /// sshd_config lines added after the fixture's own, e.g. <c>MaxStartups 1000</c> for a benchmark;
    /// only for settings the fixture does not make, since sshd keeps the first value of each.
    /// </summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];

    /// <summary>Starts an sshd outside xunit's fixture machinery; dispose it to stop it.</summary>
    /// <param name="extraConfig">sshd_config lines added after the fixture's own.</param>
    public static async Task<SshdServer> StartAsync(params string[] extraConfig)
    {
        var server = new SshdServer { ExtraConfig = extraConfig };
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(SshdPath))
        {
            throw new InvalidOperationException(
                $"{SshdPath} is missing: the SSH tests need OpenSSH's server. Install it with `apt-get install openssh-server`.");
        }

        // sshd's privilege separation needs this directory; Debian creates it only at boot.
        Directory.CreateDirectory("/run/sshd");
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", "sshd-fixture", "-f", HostKeyPath)).Succeeded();
        var hostKeyFields = File.ReadAllText(HostKeyPublicPath).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        HostKeyLine = $"{hostKeyFields[0]} {hostKeyFields[1]}";
        HostKeyFingerprint = SshKeyPair.FingerprintOf(HostKeyPublicPath);
        WriteAuthorizedKeys();

        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            Port = FreePort.Find();
            File.WriteAllText(ConfigPath, Config());
            await StartProcessAsync();
            if (await WaitUntilReadyAsync())
            {
                return;
            }

            // Another process may have taken the free port between the probe and sshd's bind.
            if (!Log.Contains("Address already in use", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new InvalidOperationException($"sshd did not start on 127.0.0.1:{Port}. Its log:\n{Log}");
    }

    /// <summary>Adds a public key line to authorized_keys; the next login sees it.</summary>
    public void AuthorizeKey(string publicKeyLine)
    {
        lock (authorizedKeys)
        {
            authorizedKeys.Add(publicKeyLine.Trim());
            WriteAuthorizedKeys();
        }
    }

    /// <summary>Removes every authorized_keys line holding the same key (type and base64; comments ignored).</summary>
    public void RevokeKey(string publicKeyLine)
    {
        var key = KeyOf(publicKeyLine);
        lock (authorizedKeys)
        {
            authorizedKeys.RemoveAll(line => KeyOf(line) == key);
            WriteAuthorizedKeys();
        }
    }

    /// <summary>Replaces authorized_keys with exactly these lines (none: nobody gets in).</summary>
    public void SetAuthorizedKeys(params string[] publicKeyLines)
    {
        lock (authorizedKeys)
        {
            authorizedKeys.Clear();
            authorizedKeys.AddRange(publicKeyLines.Select(line => line.Trim()));
            WriteAuthorizedKeys();
        }
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            // sshd forks a child per connection; they go with it.
            await process.DisposeAsync();
        }

        directory.Delete(recursive: true);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>Stops sshd as a crash or a restart would: the listener and every session go at once.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            earlierAttempts += process.Output;
            await process.DisposeAsync();
            process = null;
        }
    }

    /// <summary>Starts sshd again after <see cref="StopAsync"/>, on the same port with the same host key and authorized_keys.</summary>
    public async Task StartAgainAsync()
    {
        await StartProcessAsync();
        if (!await WaitUntilReadyAsync())
        {
            throw new InvalidOperationException($"sshd did not start again on 127.0.0.1:{Port}. Its log:\n{Log}");
        }
    }

    private static string KeyOf(string publicKeyLine) =>
        string.Join(' ', publicKeyLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));

    private string Config() => $"""
        ListenAddress {Host}
        Port {Port}
        HostKey {HostKeyPath}
        PidFile {Path.Combine(directory.FullName, "sshd.pid")}
        AuthorizedKeysFile {AuthorizedKeysPath}
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin prohibit-password
        AllowUsers {User}
        LogLevel VERBOSE
        {string.Join('\n', ExtraConfig)}

        """;

    private void WriteAuthorizedKeys()
    {
        // Write then rename, so a login in flight never reads half a file.
        var staging = AuthorizedKeysPath + ".new";
        File.WriteAllLines(staging, authorizedKeys);
        File.Move(staging, AuthorizedKeysPath, overwrite: true);
    }

    private async Task StartProcessAsync()
    {
        if (process is not null)
        {
            earlierAttempts += process.Output;
            await process.DisposeAsync();
        }

        process = RunningProcess.Start(SshdPath, ["-D", "-e", "-f", ConfigPath]);
    }

    /// <summary>True once sshd answers with its banner; false when it exited or did not answer in time (its log says why).</summary>
    private async Task<bool> WaitUntilReadyAsync()
    {
        try
        {
            var ready = await Eventually.Until<bool?>(
                async () => process!.HasExited ? false : await AnswersBannerAsync() ? true : null,
                state => state is not null,
                $"sshd to answer on 127.0.0.1:{Port}",
                ReadyTimeout);
            if (ready == false)
            {
                // Let the stderr reader drain what sshd said before it died.
                await process!.WaitForExitAsync();
            }

            return ready == true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> AnswersBannerAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var bannerTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(IPAddress.Loopback, Port, bannerTimeout.Token);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            var banner = await reader.ReadLineAsync(bannerTimeout.Token);
            return banner?.StartsWith("SSH-", StringComparison.Ordinal) ?? false;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
