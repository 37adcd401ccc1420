using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Keys;

public sealed class KnownHostsTests : IDisposable
{
    private readonly SshKeygen sshKeygen = new();
    private readonly SshPublicKey bastionKey = Parse(new DeterministicKeyPairSource().Create("bastion").PublicKey);
    private readonly SshPublicKey otherKey;

    public KnownHostsTests()
    {
        var source = new DeterministicKeyPairSource();
        source.Create("skip");
        otherKey = Parse(source.Create("other").PublicKey);
    }

    public void Dispose() => sshKeygen.Dispose();

    public static TheoryData<string, string, int, HostKeyVerdict> Verdicts => new()
    {
        { "", "bastion.example.com", 22, HostKeyVerdict.Unverified },
        { "# only a comment\n", "bastion.example.com", 22, HostKeyVerdict.Unverified },
        { "bastion.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Trusted },
        { "BASTION.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Trusted },
        { "[bastion.example.com]:2222 {bastion}", "bastion.example.com", 2222, HostKeyVerdict.Trusted },
        { "bastion.example.com {bastion}", "bastion.example.com", 2222, HostKeyVerdict.NotListed },
        { "other.example.com,bastion.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Trusted },
        { "bastion.example.com {other}", "bastion.example.com", 22, HostKeyVerdict.Mismatch },
        { "bastion.example.com {other}\nbastion.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Trusted },
        { "other.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.NotListed },
        { "@revoked bastion.example.com {bastion}\nbastion.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Revoked },
        { "@cert-authority bastion.example.com {bastion}", "bastion.example.com", 22, HostKeyVerdict.Unverified },
        { "bastion.example.com not-a-key", "bastion.example.com", 22, HostKeyVerdict.Unverified },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void Checks_the_presented_key_as_strict_OpenSSH_does(string knownHosts, string host, int port, HostKeyVerdict expected)
    {
        var text = knownHosts.Replace("{bastion}", bastionKey.Line, StringComparison.Ordinal).Replace("{other}", otherKey.Line, StringComparison.Ordinal);

        Assert.Equal(expected, KnownHosts.Parse(text).Check(host, port, bastionKey));
    }

    [Theory]
    [InlineData(22)]
    [InlineData(2222)]
    public void Reads_the_lines_the_operator_writes_and_the_names_ssh_keygen_hashes(int port)
    {
        var line = KnownHostsLine.Format(new ConnectionParameters("bastion.example.com", port, "tunnel"), bastionKey);
        var path = sshKeygen.Write("known_hosts", line + "\n");
        sshKeygen.Run("-H", "-f", path);
        var hashed = File.ReadAllText(path);

        Assert.StartsWith("|1|", hashed, StringComparison.Ordinal);
        Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.Parse(line).Check("bastion.example.com", port, bastionKey));
        Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.Parse(hashed).Check("bastion.example.com", port, bastionKey));
        Assert.Equal(HostKeyVerdict.Mismatch, KnownHosts.Parse(hashed).Check("bastion.example.com", port, otherKey));
        Assert.Equal(HostKeyVerdict.NotListed, KnownHosts.Parse(hashed).Check("other.example.com", port, bastionKey));
    }

    private static SshPublicKey Parse(string line) =>
        SshPublicKey.TryParse(line, out var key, out var error) ? key : throw new ArgumentException(error);
}
