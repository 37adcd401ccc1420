using SshTunnel.Core.Keys;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Support;

/// <summary>
/// Answers probes the way the operator's SSH probe reports a real bastion: it accepts the keys
/// in its authorized list, presents a host key, and can be unreachable.
/// </summary>
internal sealed class FakeBastion
{
    public const string HostKeyLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1Zc9ppJ6u6VnafBn0mXVOlspVKZDSVEp8fjbH1Rxc1";

    public HashSet<string> AuthorizedKeys { get; } = [];

    public ProbeOutcome? Failure { get; set; }

    public string HostKey { get; set; } = HostKeyLine;

    public static string Fingerprint(string line) =>
        SshPublicKey.TryParse(line, out var key, out var error) ? key.Fingerprint : throw new ArgumentException(error);

    public void Authorize(string? publicKeyLine) => AuthorizedKeys.Add(Bare(publicKeyLine!));

    public ProbeResult Answer(ProbeRequest request, DateTimeOffset completedAt)
    {
        if (Failure is { } failure)
        {
            var message = failure == ProbeOutcome.ConnectionRefused ? "Connection refused" : $"{failure}";
            return new ProbeResult(request.Connection, new KeyProbe(failure, message), null, null, null, completedAt);
        }

        if (request.HostKeyPin is { } pin && pin != Fingerprint(HostKey) && Bare(pin) != Bare(HostKey))
        {
            return new ProbeResult(
                request.Connection,
                new KeyProbe(ProbeOutcome.HostKeyMismatch, $"Host key {Fingerprint(HostKey)} does not match the pin"),
                null,
                HostKey,
                Fingerprint(HostKey),
                completedAt);
        }

        return new ProbeResult(
            request.Connection,
            Login(request.PrivateKey1),
            request.PrivateKey2 is null ? null : Login(request.PrivateKey2),
            HostKey,
            Fingerprint(HostKey),
            completedAt);
    }

    private KeyProbe Login(string privateKey)
    {
        Assert.True(OpenSshPrivateKey.TryParse(privateKey, out var key, out var error), error);
        var publicKey = SshPublicKey.FromEd25519(key.PublicKey, "").ToString();
        return AuthorizedKeys.Contains(publicKey)
            ? new KeyProbe(ProbeOutcome.Authenticated, "Authenticated")
            : new KeyProbe(ProbeOutcome.AuthenticationFailed, "Permission denied (publickey).");
    }

    private static string Bare(string line) => string.Join(' ', line.Trim().Split(' ').Take(2));
}
