using System.Globalization;
using SshTunnel.Testing.Sshd;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.EndToEnd.Tests.AnyCluster;

/// <summary>
/// <c>validate: true</c> against a real sshd on 127.0.0.1, which the operator (a local process)
/// reaches on any cluster: refused until the bastion trusts both keys, then Ready and pinned.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class BastionValidationTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>, IAsyncLifetime
{
    private const string ReadyStatus = "{.status.conditions[?(@.type==\"Ready\")].status}";
    private readonly SshdServer sshd = new();

    public Task InitializeAsync() => sshd.InitializeAsync();

    public Task DisposeAsync() => sshd.DisposeAsync();

    [Fact]
    public async Task A_bastion_that_trusts_both_keys_makes_the_connection_ready()
    {
        await fixture.Cluster.ApplyAsync(string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: sshtunnels.io/v1alpha1
            kind: SshTunnelConnection
            metadata:
              name: validated
            spec:
              host: {sshd.Host}
              port: {sshd.Port}
              user: {sshd.User}
              hostKey: {sshd.HostKeyLine}
              validate: true
            """));
        var key1 = await fixture.WaitForAsync("stc/validated", "{.status.publicKey1}", key => key.Length > 0, "public key 1");
        var key2 = await fixture.WaitForAsync("stc/validated", "{.status.publicKey2}", key => key.Length > 0, "public key 2");
        await fixture.WaitForAsync("stc/validated", ReadyStatus, status => status == "False", "Ready False while the bastion refuses the keys");

        sshd.AuthorizeKey(key1);
        sshd.AuthorizeKey(key2);
        await fixture.KubectlAsync("annotate", "stc/validated", "sshtunnels.io/revalidate=1", "--overwrite");
        await fixture.WaitForAsync("stc/validated", ReadyStatus, status => status == "True", "Ready True once the bastion trusts both keys");

        Assert.Equal(sshd.HostKeyFingerprint, await fixture.KubectlAsync("get", "stc/validated", "-o", "jsonpath={.status.hostKeyFingerprint}"));
        Assert.Equal("True", await fixture.KubectlAsync("get", "stc/validated", "-o", "jsonpath={.status.conditions[?(@.type==\"SecondaryKeyAuthorized\")].status}"));
    }
}
