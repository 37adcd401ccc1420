using System.Buffers.Binary;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Keys;

public sealed class Ed25519OpenSshTests : IDisposable
{
    private readonly SshKeygen sshKeygen = new();
    private readonly KeyPair pair = new DeterministicKeyPairSource().Create("default/warehouse-bastion");

    public void Dispose() => sshKeygen.Dispose();

    [Fact]
    public void Derives_the_RFC_8032_test_vector_public_key()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

        var publicKey = Ed25519OpenSsh.DerivePublicKey(seed);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(publicKey));
    }

    [Fact]
    public void Public_key_line_has_type_base64_and_namespace_name_comment()
    {
        var parts = pair.PublicKey.Split(' ');

        Assert.Equal(3, parts.Length);
        Assert.Equal("ssh-ed25519", parts[0]);
        Assert.StartsWith("AAAAC3NzaC1lZDI1NTE5AAAAI", parts[1]);
        Assert.Equal("default/warehouse-bastion", parts[2]);
    }

    [Fact]
    public void Ssh_keygen_derives_the_same_public_key_from_the_private_key()
    {
        var file = sshKeygen.Write("id_ed25519", pair.PrivateKey);

        Assert.Equal(pair.PublicKey, sshKeygen.Run("-y", "-f", file));
    }

    [Fact]
    public void Fingerprint_equals_ssh_keygen_fingerprint()
    {
        var file = sshKeygen.Write("id_ed25519.pub", pair.PublicKey + "\n");
        Assert.True(SshPublicKey.TryParse(pair.PublicKey, out var key, out _));

        var listed = sshKeygen.Run("-l", "-E", "sha256", "-f", file).Split(' ');

        Assert.Equal(listed[1], key.Fingerprint);
        Assert.Equal(listed[1], SshFingerprint.Sha256(key.Blob));
    }

    [Fact]
    public void Reproduces_a_key_written_by_ssh_keygen_byte_for_byte()
    {
        var path = sshKeygen.PathOf("generated");
        sshKeygen.Run("-q", "-t", "ed25519", "-N", "", "-C", "team/bastion", "-f", path);
        var text = File.ReadAllText(path);

        Assert.True(OpenSshPrivateKey.TryParse(text, out var parsed, out var error), error);
        var again = OpenSshPrivateKey.Format(parsed.Seed, parsed.PublicKey, parsed.Comment, parsed.CheckInt);

        Assert.Equal(text, again);
        Assert.Null(Ed25519OpenSsh.FindProblem(new KeyPair(File.ReadAllText(path + ".pub").Trim(), text)));
    }

    [Fact]
    public void Private_key_lines_are_wrapped_at_70_columns()
    {
        var lines = pair.PrivateKey.TrimEnd('\n').Split('\n');

        Assert.Equal("-----BEGIN OPENSSH PRIVATE KEY-----", lines[0]);
        Assert.Equal("-----END OPENSSH PRIVATE KEY-----", lines[^1]);
        Assert.All(lines[1..^2], line => Assert.Equal(70, line.Length));
        Assert.InRange(lines[^2].Length, 1, 70);
    }

    [Fact]
    public void Round_trips_seed_public_key_comment_and_check_value()
    {
        Assert.True(OpenSshPrivateKey.TryParse(pair.PrivateKey, out var parsed, out var error), error);

        Assert.Equal("default/warehouse-bastion", parsed.Comment);
        Assert.Equal(pair.PrivateKey, OpenSshPrivateKey.Format(parsed.Seed, parsed.PublicKey, parsed.Comment, parsed.CheckInt));
        Assert.Equal(Ed25519OpenSsh.DerivePublicKey(parsed.Seed), parsed.PublicKey.ToArray());
    }

    [Fact]
    public void A_private_key_with_CRLF_line_breaks_and_indented_lines_parses_to_the_same_key()
    {
        var rewrapped = "  " + pair.PrivateKey.Replace("\n", "\r\n  ", StringComparison.Ordinal);

        Assert.True(OpenSshPrivateKey.TryParse(rewrapped, out var parsed, out var error), error);
        Assert.True(OpenSshPrivateKey.TryParse(pair.PrivateKey, out var original, out _));
        Assert.Equal(original.Seed.ToArray(), parsed.Seed.ToArray());
        Assert.Equal(original.Comment, parsed.Comment);
    }

    [Fact]
    public void A_sound_pair_has_no_problem() => Assert.Null(Ed25519OpenSsh.FindProblem(pair));

    [Fact]
    public void A_private_key_of_another_pair_does_not_match()
    {
        var other = new DeterministicKeyPairSource("other").Create("x");

        Assert.Equal("the private key does not match the public key", Ed25519OpenSsh.FindProblem(pair with { PrivateKey = other.PrivateKey }));
    }

    [Fact]
    public void A_private_key_whose_seed_was_replaced_does_not_match()
    {
        Assert.True(OpenSshPrivateKey.TryParse(pair.PrivateKey, out var parsed, out _));
        var forged = OpenSshPrivateKey.Format(new byte[32], parsed.PublicKey, parsed.Comment, parsed.CheckInt);

        Assert.Equal("the private key does not match the public key", Ed25519OpenSsh.FindProblem(pair with { PrivateKey = forged }));
    }

    [Fact]
    public void A_forged_seed_is_caught_even_after_the_genuine_pair_was_checked()
    {
        Assert.True(OpenSshPrivateKey.TryParse(pair.PrivateKey, out var parsed, out _));
        var forged = OpenSshPrivateKey.Format(new byte[32], parsed.PublicKey, parsed.Comment, parsed.CheckInt);

        for (var round = 0; round < 2; round++)
        {
            Assert.Null(Ed25519OpenSsh.FindProblem(pair));
            Assert.Equal("the private key does not match the public key", Ed25519OpenSsh.FindProblem(pair with { PrivateKey = forged }));
        }
    }

    [Theory]
    [InlineData("", "private key: not an OpenSSH private key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----\n", "private key: the private key body is not valid base64")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "private key: the private key is not in openssh-key-v1 format")]
    public void An_unparsable_private_key_is_reported(string privateKey, string expected)
    {
        var problem = Ed25519OpenSsh.FindProblem(pair with { PrivateKey = privateKey });

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void A_truncated_private_key_is_reported()
    {
        var lines = pair.PrivateKey.TrimEnd('\n').Split('\n');
        var truncated = string.Join('\n', lines.Where((_, i) => i != 2)) + "\n";

        Assert.StartsWith("private key:", Ed25519OpenSsh.FindProblem(pair with { PrivateKey = truncated }));
    }

    [Fact]
    public void A_private_key_with_differing_check_values_is_reported()
    {
        Assert.True(OpenSshPrivateKey.TryParse(pair.PrivateKey, out var parsed, out _));
        var body = Convert.FromBase64String(string.Concat(pair.PrivateKey.Split('\n')[1..^2]));
        var sectionStart = body.Length - PrivateSectionLength(body);
        body[sectionStart + 4] ^= 0xFF;
        var text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(body) + "\n-----END OPENSSH PRIVATE KEY-----\n";

        Assert.False(OpenSshPrivateKey.TryParse(text, out _, out var error));
        Assert.Contains("check values differ", error);
        Assert.Equal("default/warehouse-bastion", parsed.Comment);
    }

    [Theory]
    [InlineData("ssh-ed25519", "not an OpenSSH public key line (expected \"<type> <base64> [comment]\")")]
    [InlineData("ssh-ed25519 %%%", "the key data is not valid base64")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIP1Zc9ppJ6u6VnafBn0mXVOlspVKZDSVEp8fjbH1Rxc1", "the key data does not hold a ssh-rsa key")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=", "the key data is not a 32-byte Ed25519 key")]
    public void A_bad_public_key_line_is_reported(string line, string expected)
    {
        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_public_key_of_another_type_is_reported() =>
        Assert.Equal(
            "public key: expected ssh-ed25519, found ecdsa-sha2-nistp256",
            Ed25519OpenSsh.FindProblem(pair with { PublicKey = EcdsaKey }));

    [Fact]
    public void Parses_public_keys_of_any_type_for_host_key_pins()
    {
        Assert.True(SshPublicKey.TryParse(EcdsaKey + " root@bastion", out var key, out var error), error);

        Assert.Equal("ecdsa-sha2-nistp256", key.Type);
        Assert.Equal("root@bastion", key.Comment);
        Assert.True(key.Ed25519Key.IsEmpty);
    }

    [Fact]
    public void Same_key_ignores_the_comment()
    {
        Assert.True(SshPublicKey.TryParse(pair.PublicKey, out var withComment, out _));
        Assert.True(SshPublicKey.TryParse(string.Join(' ', pair.PublicKey.Split(' ')[..2]), out var bare, out _));

        Assert.True(withComment.SameKeyAs(bare));
        Assert.Equal(string.Join(' ', pair.PublicKey.Split(' ')[..2]), bare.ToString());
    }

    [Fact]
    public void Reads_a_host_key_from_its_wire_form()
    {
        Assert.True(SshPublicKey.TryParse(EcdsaKey, out var parsed, out _));

        Assert.True(SshPublicKey.TryFromBlob(parsed.Blob, out var presented, out var error), error);

        Assert.Equal(EcdsaKey, presented.Line);
        Assert.Equal(parsed.Fingerprint, presented.Fingerprint);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 9, (byte)'s', (byte)'s', (byte)'h' })]
    [InlineData(new byte[] { 0, 0, 0, 11, (byte)'s', (byte)'s', (byte)'h', (byte)'-', (byte)'e', (byte)'d', (byte)'2', (byte)'5', (byte)'5', (byte)'1', (byte)'9', 0, 0, 0, 1, 7 })]
    public void A_malformed_wire_form_is_not_a_key(byte[] blob) =>
        Assert.False(SshPublicKey.TryFromBlob(blob, out _, out _));

    private const string EcdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNarMy8RDucXvtEtjNzo2KdzdGPdcu9wkKwDTP251cfD5C9FZ4sUMLwGxzZDYJLpZbUf8+jtWGfM4Be1whCS96Y=";

    private static int PrivateSectionLength(byte[] body)
    {
        var offset = 15;
        for (var field = 0; field < 3; field++)
        {
            offset += 4 + BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset));
        }

        offset += 4;
        offset += 4 + BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset));
        return BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset));
    }
}
