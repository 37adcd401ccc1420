using SshTunnel.Core.Validation;
using SshTunnel.Testing.Sshd;
using Xunit.Abstractions;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>
/// The probe offers its preferred key exchange first and SSH.NET's others after it, so a bastion
/// that allows only one of them, the preferred one or another, still lets the probe in.
/// </summary>
public sealed class KeyExchangePreferenceTests(ITestOutputHelper output)
{
    private static readonly SshKeyPair Key = SshKeyPair.Generate("kex-key");

    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("sntrup761x25519-sha512@openssh.com")]
    [InlineData("ecdh-sha2-nistp256")]
    public async Task A_bastion_that_allows_one_key_exchange_is_probed_with_it(string only)
    {
        await using var sshd = await SshdServer.StartAsync($"KexAlgorithms {only}");
        sshd.SetAuthorizedKeys(Key.PublicKeyLine);

        var result = await new ProbeHarness().ProbeAsync(ProbeHarness.Request(sshd.Host, sshd.Port, sshd.User, Key), output);

        Assert.True(result.Key1.Outcome == ProbeOutcome.Authenticated, $"{result.Key1.Outcome}: {result.Key1.Message}\n--- sshd log ---\n{sshd.Log}");
    }
}
