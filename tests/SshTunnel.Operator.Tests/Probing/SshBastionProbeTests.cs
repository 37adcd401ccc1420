using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Sshd;
using Xunit.Abstractions;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>The probe against a real OpenSSH sshd on loopback.</summary>
public sealed class SshBastionProbeTests(SshdServer sshd, ITestOutputHelper output) : IClassFixture<SshdServer>
{
    private static readonly SshKeyPair Key1 = SshKeyPair.Generate("key-1");
    private static readonly SshKeyPair Key2 = SshKeyPair.Generate("key-2");

    [Fact]
    public async Task Authorized_keys_authenticate_and_the_presented_host_key_is_reported()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine, Key2.PublicKeyLine);
        var harness = new ProbeHarness();

        var stopwatch = Stopwatch.StartNew();
        var result = await harness.ProbeAsync(Request(Key1, Key2), output);
        output.WriteLine($"Probe with key 1 and key 2 took {stopwatch.Elapsed.TotalMilliseconds:0} ms");

        AssertOutcome(ProbeOutcome.Authenticated, result.Key1);
        AssertOutcome(ProbeOutcome.Authenticated, result.Key2);
        Assert.Equal(sshd.HostKeyLine, result.HostKey);
        Assert.Equal(sshd.HostKeyFingerprint, result.HostKeyFingerprint);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task An_unauthorized_key_is_denied_in_the_bastions_words_and_not_retried()
    {
        sshd.SetAuthorizedKeys();
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, Key2), output);

        AssertOutcome(ProbeOutcome.AuthenticationFailed, result.Key1);
        AssertOutcome(ProbeOutcome.AuthenticationFailed, result.Key2);
        Assert.Contains("Permission denied (publickey)", result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains(sshd.User, result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains(Key1.Fingerprint, result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{sshd.Port}", result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains(Key2.Fingerprint, result.Key2!.Message, StringComparison.Ordinal);
        Assert.Equal(sshd.HostKeyFingerprint, result.HostKeyFingerprint);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task A_key_added_to_authorized_keys_later_authenticates_on_the_next_probe()
    {
        sshd.SetAuthorizedKeys();
        var harness = new ProbeHarness();
        var before = await harness.ProbeAsync(Request(Key1), output);
        AssertOutcome(ProbeOutcome.AuthenticationFailed, before.Key1);

        sshd.AuthorizeKey(Key1.PublicKeyLine);
        var after = await harness.ProbeAsync(Request(Key1), output);

        AssertOutcome(ProbeOutcome.Authenticated, after.Key1);
        Assert.Null(after.Key2);
    }

    [Fact]
    public async Task A_revoked_key_is_denied_on_the_next_probe()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine);
        var harness = new ProbeHarness();
        AssertOutcome(ProbeOutcome.Authenticated, (await harness.ProbeAsync(Request(Key1), output)).Key1);

        sshd.RevokeKey(Key1.PublicKeyLine);
        var after = await harness.ProbeAsync(Request(Key1), output);

        AssertOutcome(ProbeOutcome.AuthenticationFailed, after.Key1);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Each_key_is_reported_on_its_own(bool key1Authorized, bool key2Authorized)
    {
        sshd.SetAuthorizedKeys([.. Authorized(Key1, key1Authorized), .. Authorized(Key2, key2Authorized)]);
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, Key2), output);

        AssertOutcome(key1Authorized ? ProbeOutcome.Authenticated : ProbeOutcome.AuthenticationFailed, result.Key1);
        AssertOutcome(key2Authorized ? ProbeOutcome.Authenticated : ProbeOutcome.AuthenticationFailed, result.Key2);
    }

    [Theory]
    [InlineData("key line")]
    [InlineData("key line with comment")]
    [InlineData("fingerprint")]
    [InlineData("padded fingerprint")]
    public async Task A_matching_host_key_pin_lets_the_login_through(string pinForm)
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine, Key2.PublicKeyLine);
        var pin = pinForm switch
        {
            "key line" => sshd.HostKeyLine,
            "key line with comment" => File.ReadAllText(sshd.HostKeyPublicPath).Trim(),
            "fingerprint" => sshd.HostKeyFingerprint,
            _ => sshd.HostKeyFingerprint + "=",
        };
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, Key2, pin), output);

        AssertOutcome(ProbeOutcome.Authenticated, result.Key1);
        AssertOutcome(ProbeOutcome.Authenticated, result.Key2);
        Assert.Equal(sshd.HostKeyFingerprint, result.HostKeyFingerprint);
    }

    [Theory]
    [InlineData("other key line")]
    [InlineData("other fingerprint")]
    public async Task A_host_key_that_does_not_match_the_pin_is_rejected_and_not_retried(string pinForm)
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine, Key2.PublicKeyLine);
        var other = SshKeyPair.Generate("not-the-host-key");
        var pin = pinForm == "other key line" ? other.PublicKeyLine : other.Fingerprint;
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, Key2, pin), output);

        AssertOutcome(ProbeOutcome.HostKeyMismatch, result.Key1);
        Assert.Contains(sshd.HostKeyFingerprint, result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains(other.Fingerprint, result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
        Assert.Equal(sshd.HostKeyLine, result.HostKey);
        Assert.Equal(sshd.HostKeyFingerprint, result.HostKeyFingerprint);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task A_pin_that_is_neither_a_key_nor_a_fingerprint_matches_nothing()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine);
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, pin: "bastion.example.com"), output);

        AssertOutcome(ProbeOutcome.HostKeyMismatch, result.Key1);
        Assert.Contains("bastion.example.com", result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains(sshd.HostKeyFingerprint, result.Key1.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_private_key_is_reported_without_connecting()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine);
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1) with { PrivateKey1 = "not a key" }, output);

        AssertOutcome(ProbeOutcome.AuthenticationFailed, result.Key1);
        Assert.Contains("private key 1 cannot be read", result.Key1.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Attempts.Count);
    }

    [Fact]
    public async Task An_unreadable_key_2_is_reported_while_key_1_is_probed()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine);
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(Request(Key1, Key2) with { PrivateKey2 = "not a key" }, output);

        AssertOutcome(ProbeOutcome.Authenticated, result.Key1);
        AssertOutcome(ProbeOutcome.AuthenticationFailed, result.Key2);
        Assert.Contains("private key 2 cannot be read", result.Key2!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_address_of_the_host_is_tried_in_order_until_one_answers()
    {
        sshd.SetAuthorizedKeys(Key1.PublicKeyLine, Key2.PublicKeyLine);
        var harness = new ProbeHarness(resolveHost: Resolves("bastion.test", "127.0.0.2", "127.0.0.1"));

        var result = await harness.ProbeAsync(ProbeHarness.Request("bastion.test", sshd.Port, sshd.User, Key1, Key2), output);

        AssertOutcome(ProbeOutcome.Authenticated, result.Key1);
        AssertOutcome(ProbeOutcome.Authenticated, result.Key2);
        Assert.Contains($"127.0.0.1:{sshd.Port}", result.Key2!.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task When_no_address_answers_every_address_is_named()
    {
        var options = new BastionProbeOptions { MaxAttempts = 1 };
        var harness = new ProbeHarness(options, Resolves("bastion.test", "127.0.0.2", "127.0.0.3"));

        var result = await harness.ProbeAsync(ProbeHarness.Request("bastion.test", sshd.Port, sshd.User, Key1, Key2), output);

        AssertOutcome(ProbeOutcome.ConnectionRefused, result.Key1);
        Assert.Contains($"127.0.0.2:{sshd.Port}: Connection refused", result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.3:{sshd.Port}: Connection refused", result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolves(string name, params string[] addresses) =>
        (host, _) => host == name
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : throw new SocketException((int)SocketError.HostNotFound);

    private static IEnumerable<string> Authorized(SshKeyPair key, bool authorized) =>
        authorized ? [key.PublicKeyLine] : [];

    private ProbeRequest Request(SshKeyPair key1, SshKeyPair? key2 = null, string? pin = null) =>
        ProbeHarness.Request(sshd.Host, sshd.Port, sshd.User, key1, key2, pin);

    private void AssertOutcome(ProbeOutcome expected, KeyProbe? actual) =>
        Assert.True(
            actual?.Outcome == expected,
            $"Expected {expected}, got {actual?.Outcome.ToString() ?? "no probe"}: {actual?.Message}\n--- sshd log ---\n{sshd.Log}");
}
