using SshTunnel.Core.Model;
using SshTunnel.Operator.Hosting;
using SshTunnel.Api;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Sshd;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>The operator with <c>validate: true</c> against a real sshd on loopback.</summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private readonly SshdServer sshd = new();
    private OperatorHarness harness = null!;

    public async Task InitializeAsync()
    {
        await sshd.InitializeAsync();
        harness = await OperatorHarness.StartAsync(new OperatorOptions { Workers = 2, RevalidateInterval = TimeSpan.FromSeconds(2) });
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await sshd.DisposeAsync();
    }

    private ConnectionSpec BastionSpec(int? port = null) =>
        new() { Host = sshd.Host, Port = port ?? sshd.Port, User = sshd.User, Validate = true };

    private async Task<SshTunnelConnection> WaitAsync(string name, Func<SshTunnelConnection, bool> done, string what)
    {
        try
        {
            return await harness.WaitAsync(name, done, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nsshd log:\n{sshd.Log}", e);
        }
    }

    [Fact]
    public async Task Keys_are_published_before_the_bastion_accepts_them_and_ready_follows_without_a_change()
    {
        await harness.CreateAsync("gated", BastionSpec());

        var denied = await WaitAsync(
            "gated", connection => HasKeys(connection) && ConditionOf(connection, "Ready") is { Status: "False", Message: var message } && message.Contains("Permission denied (publickey)", StringComparison.Ordinal), "Ready False with the bastion's refusal");
        Assert.Equal("False", ConditionOf(denied, "Validated")!.Status);
        var generation = denied.Metadata.Generation;

        sshd.AuthorizeKey(denied.Status!.PublicKey1!);
        var ready = await WaitAsync("gated", IsReady, "Ready after the key was authorized");

        Assert.Equal(generation, ready.Metadata.Generation);
        Assert.Equal(new ConnectionParameters(sshd.Host, sshd.Port, sshd.User), ready.Status!.Connection);
        Assert.Equal("True", ConditionOf(ready, "Validated")!.Status);
        Assert.Equal(sshd.HostKeyFingerprint, ready.Status.HostKeyFingerprint);
        Assert.Equal("False", ConditionOf(ready, "SecondaryKeyAuthorized")!.Status);
    }

    [Fact]
    public async Task A_spec_change_to_a_dead_port_keeps_the_old_connection_until_it_is_changed_back()
    {
        var deadPort = FreePort.Find();
        await harness.CreateAsync("moving", BastionSpec());
        var first = await WaitAsync("moving", HasKeys, "keys");
        sshd.AuthorizeKey(first.Status!.PublicKey1!);
        sshd.AuthorizeKey(first.Status.PublicKey2!);
        var ready = await WaitAsync("moving", IsReady, "Ready");
        var inEffect = ready.Status!.Connection;

        await harness.ReplaceSpecAsync("moving", spec => spec["port"] = deadPort);
        var refused = await WaitAsync(
            "moving",
            connection => ConditionOf(connection, "Ready") is { Status: "False", Message: var message } && message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase),
            "Ready False with Connection refused");
        Assert.Equal(inEffect, refused.Status!.Connection);

        await harness.ReplaceSpecAsync("moving", spec => spec["port"] = sshd.Port);
        var back = await WaitAsync("moving", IsReady, "Ready on the original port");
        Assert.Equal(inEffect, back.Status!.Connection);
    }

    [Fact]
    public async Task The_connection_in_effect_is_validated_again_periodically()
    {
        await harness.CreateAsync("revalidated", BastionSpec());
        var first = await WaitAsync("revalidated", HasKeys, "keys");
        sshd.AuthorizeKey(first.Status!.PublicKey1!);
        await WaitAsync("revalidated", IsReady, "Ready");

        sshd.SetAuthorizedKeys();
        var revoked = await WaitAsync(
            "revalidated", connection => ConditionOf(connection, "Validated")?.Status == "False", "Validated False after the key was revoked");

        Assert.Contains("Permission denied (publickey)", ConditionOf(revoked, "Validated")!.Message, StringComparison.Ordinal);
        Assert.Equal(first.Metadata.Generation, revoked.Metadata.Generation);
    }
}
