using System.Globalization;
using SshTunnel.Core.Secrets;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>
/// The real sshd on 127.0.0.1 with one authorized Ed25519 key, and what both tunnels need to use
/// it: the key as a file for <c>ssh -i</c>, a known_hosts file, and the key Secret's folder as the
/// forwarder reads it (host, port, user, private-key-1, known_hosts).
/// </summary>
internal sealed class BastionSetup : IAsyncDisposable
{
    private readonly SshdServer sshd;
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("forwarder-bench-");

    private BastionSetup(SshdServer sshd) => this.sshd = sshd;

    public string Host => sshd.Host;

    public int Port => sshd.Port;

    public string User => sshd.User;

    /// <summary>The sshd listener's process: every session's sshd processes descend from it.</summary>
    public int SshdProcessId { get; private set; }

    public string PrivateKeyPath => Path.Combine(directory.FullName, "id_ed25519");

    public string KnownHostsPath => Path.Combine(directory.FullName, "known_hosts");

    public string SecretDirectory => Path.Combine(directory.FullName, "secret");

    /// <param name="sshdConfig">sshd_config lines added to the fixture's own.</param>
    public static async Task<BastionSetup> StartAsync(params string[] sshdConfig)
    {
        var sshd = await SshdServer.StartAsync(sshdConfig).ConfigureAwait(false);
        var setup = new BastionSetup(sshd);
        var key = SshKeyPair.Generate("forwarder-bench");
        sshd.AuthorizeKey(key.PublicKeyLine);
        var knownHosts = string.Create(CultureInfo.InvariantCulture, $"[{sshd.Host}]:{sshd.Port} {sshd.HostKeyLine}\n");
        // ssh refuses a private key that others may read.
        using (var keyFile = new StreamWriter(setup.PrivateKeyPath, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            keyFile.Write(key.PrivateKey);
        }

        File.WriteAllText(setup.KnownHostsPath, knownHosts);
        Directory.CreateDirectory(setup.SecretDirectory);
        foreach (var (name, value) in new[]
        {
            (KeySecretLayout.Host, sshd.Host), (KeySecretLayout.Port, sshd.Port.ToString(CultureInfo.InvariantCulture)), (KeySecretLayout.User, sshd.User),
            (KeySecretLayout.PrivateKey1, key.PrivateKey), (KeySecretLayout.KnownHosts, knownHosts),
        })
        {
            File.WriteAllText(Path.Combine(setup.SecretDirectory, name), value);
        }

        setup.SshdProcessId = int.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(sshd.AuthorizedKeysPath)!, "sshd.pid")).Trim(), CultureInfo.InvariantCulture);
        return setup;
    }

    /// <summary>Lets one more key in (sshd reads authorized_keys at every login).</summary>
    public void Authorize(string publicKeyLine) => sshd.AuthorizeKey(publicKeyLine);

    public async ValueTask DisposeAsync()
    {
        await sshd.DisposeAsync().ConfigureAwait(false);
        directory.Delete(recursive: true);
    }
}
