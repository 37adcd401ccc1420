using SshTunnel.Core.Keys;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Sshd;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>Host key pins and fingerprints, checked against what ssh-keygen prints.</summary>
public sealed class HostKeyPinTests
{
    private static readonly SshKeyPair HostKey = SshKeyPair.Generate("host");
    private static readonly SshKeyPair OtherKey = SshKeyPair.Generate("other");

    [Fact]
    public void The_fingerprint_is_the_one_ssh_keygen_prints()
    {
        Assert.True(SshPublicKey.TryParse(HostKey.PublicKeyLine, out var key, out _));

        Assert.Equal(HostKey.Fingerprint, key.Fingerprint);
        Assert.Equal("ssh-ed25519", key.Type);
        Assert.Equal(string.Join(' ', HostKey.PublicKeyLine.Split(' ').Take(2)), key.Line);
    }

    [Theory]
    [InlineData("line")]
    [InlineData("line without comment")]
    [InlineData("fingerprint")]
    [InlineData("fingerprint with padding and spaces")]
    [InlineData("fingerprint with lower-case prefix")]
    public void A_pin_in_any_form_matches_its_key_and_no_other(string form)
    {
        var text = form switch
        {
            "line" => HostKey.PublicKeyLine,
            "line without comment" => string.Join(' ', HostKey.PublicKeyLine.Split(' ').Take(2)),
            "fingerprint" => HostKey.Fingerprint,
            "fingerprint with padding and spaces" => $"  {HostKey.Fingerprint}= ",
            _ => "sha256:" + HostKey.Fingerprint["SHA256:".Length..],
        };

        var pin = HostKeyPin.Parse(text);

        Assert.True(pin.IsReadable);
        Assert.Equal(HostKey.Fingerprint, pin.Fingerprint);
        Assert.True(pin.Matches(Parse(HostKey)));
        Assert.False(pin.Matches(Parse(OtherKey)));
    }

    [Theory]
    [InlineData("bastion.example.com")]
    [InlineData("SHA256:")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    [InlineData("ssh-ed25519 !!!notbase64")]
    public void A_pin_that_names_no_key_matches_nothing(string text)
    {
        var pin = HostKeyPin.Parse(text);

        Assert.False(pin.IsReadable);
        Assert.False(pin.Matches(Parse(HostKey)));
    }

    private static SshPublicKey Parse(SshKeyPair pair) =>
        SshPublicKey.TryParse(pair.PublicKeyLine, out var key, out _) ? key : throw new FormatException(pair.PublicKeyLine);
}
