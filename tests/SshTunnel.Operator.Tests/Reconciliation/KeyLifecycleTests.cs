using Kube.Controller.Backoff;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// The key lifecycle against a real sshd, on the real clock with short configured intervals:
/// re-checks that follow the user, the revalidate annotation, and the rotation guard. The
/// re-validation interval is long, so whatever changes in status is the re-checks' doing.
/// </summary>
public sealed class KeyLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan WithinAMinute = TimeSpan.FromSeconds(60);
    private readonly SshdServer sshd = new();
    private OperatorHarness? harness;

    public Task InitializeAsync() => sshd.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (harness is not null)
        {
            await harness.DisposeAsync();
        }

        await sshd.DisposeAsync();
    }

    private async Task<OperatorHarness> StartAsync(ExponentialBackoff recheck) =>
        harness = await OperatorHarness.StartAsync(new OperatorOptions { Workers = 2, RevalidateInterval = Long, Recheck = recheck });

    private Task<OperatorHarness> StartWithFastRechecksAsync() =>
        StartAsync(new ExponentialBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)));

    private ConnectionSpec BastionSpec(RotationGuard guard = RotationGuard.SecondaryKeyAuthorized) =>
        new() { Host = sshd.Host, Port = sshd.Port, User = sshd.User, Validate = true, Rotation = new RotationSpec { Guard = guard } };

    private async Task<SshTunnelConnection> WaitAsync(string name, Func<SshTunnelConnection, bool> done, string what, TimeSpan? timeout = null)
    {
        try
        {
            return await Eventually.Until(() => harness!.GetAsync(name), done, what, timeout, connection => Describe(connection));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nsshd log:\n{sshd.Log}", e);
        }
    }

    private static string Describe(SshTunnelConnection connection) =>
        string.Join(" | ", connection.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason}: {c.Message}") ?? []);

    private static string? StatusOf(SshTunnelConnection connection, string type) => ConditionOf(connection, type)?.Status;

    private static bool BothKeysAccepted(SshTunnelConnection connection) =>
        IsReady(connection) && StatusOf(connection, "Validated") == "True" && StatusOf(connection, "SecondaryKeyAuthorized") == "True";

    /// <summary>A connection whose two keys the bastion accepts, created with rotate-keys 1.</summary>
    private async Task<SshTunnelConnection> TrustedAsync(string name, RotationGuard guard = RotationGuard.SecondaryKeyAuthorized)
    {
        await harness!.CreateAsync(name, BastionSpec(guard), rotateKeys: "1");
        var created = await WaitAsync(name, HasKeys, "keys");
        sshd.SetAuthorizedKeys(created.Status!.PublicKey1!, created.Status.PublicKey2!);
        return await WaitAsync(name, BothKeysAccepted, "both keys accepted");
    }

    [Fact]
    public async Task The_safe_procedure_done_by_hand_turns_key_2_authorized_without_any_trigger()
    {
        await StartWithFastRechecksAsync();
        await TrustedAsync("by-hand");

        await harness!.AnnotateAsync("by-hand", "2");
        var rotated = await WaitAsync(
            "by-hand",
            connection => connection.Status?.Rotation?.Count == 1 && StatusOf(connection, "Validated") == "True" && StatusOf(connection, "SecondaryKeyAuthorized") == "False",
            "rotated, with the new key 2 refused");
        Assert.NotNull(rotated.Status!.NextValidationTime);
        sshd.SetAuthorizedKeys(rotated.Status.PublicKey1!, rotated.Status.PublicKey2!);

        var fixedUp = await WaitAsync("by-hand", BothKeysAccepted, "key 2 authorized after the bastion was updated", WithinAMinute);

        Assert.Equal(rotated.Metadata.Generation, fixedUp.Metadata.Generation);
        Assert.Equal(rotated.Status.PublicKey2, fixedUp.Status!.PublicKey2);
        Assert.Contains(await harness.WaitForEventAsync("by-hand", EventReasons.SecondaryKeyAuthorized), item => item.Reason == EventReasons.SecondaryKeyAuthorized);
    }

    [Fact]
    public async Task The_revalidate_annotation_probes_at_once()
    {
        await StartAsync(new ExponentialBackoff(Long, Long));
        await harness!.CreateAsync("asked", BastionSpec());
        var created = await WaitAsync("asked", HasKeys, "keys");
        sshd.SetAuthorizedKeys(created.Status!.PublicKey1!);
        await harness.AnnotateRevalidateAsync("asked", "1");
        var validated = await WaitAsync(
            "asked", connection => StatusOf(connection, "Validated") == "True" && connection.Status?.Revalidation?.Handled == "1", "key 1 validated for revalidate=1");
        Assert.Equal("False", StatusOf(validated, "SecondaryKeyAuthorized"));

        sshd.AuthorizeKey(validated.Status!.PublicKey2!);
        await harness.AnnotateRevalidateAsync("asked", "2");

        var accepted = await WaitAsync("asked", connection => connection.Status?.Revalidation?.Handled == "2", "revalidate=2 handled");
        Assert.Equal("True", StatusOf(accepted, "SecondaryKeyAuthorized"));
        Assert.True(accepted.Status!.NextValidationTime > accepted.Status.LastValidationTime + TimeSpan.FromMinutes(9));
    }

    [Fact]
    public async Task A_second_bump_before_the_bastion_knows_key_2_waits_and_then_rotates_by_itself()
    {
        await StartWithFastRechecksAsync();
        var trusted = await TrustedAsync("guarded");
        await harness!.AnnotateAsync("guarded", "2");
        var once = await WaitAsync(
            "guarded", connection => connection.Status?.Rotation?.Count == 1 && StatusOf(connection, "SecondaryKeyAuthorized") == "False", "rotated once, key 2 refused");
        Assert.Equal(trusted.Status!.PublicKey2, once.Status!.PublicKey1);

        await harness.AnnotateAsync("guarded", "3");
        var blocked = await WaitAsync(
            "guarded", connection => ConditionOf(connection, "Ready")?.Reason == ConditionReasons.RotationBlocked, "RotationBlocked");
        Assert.Equal(1, blocked.Status!.Rotation!.Count);
        Assert.Equal("True", StatusOf(blocked, "Validated"));
        var message = ConditionOf(blocked, "Ready")!.Message;
        Assert.Contains(blocked.Status.PublicKey2Fingerprint!, message, StringComparison.Ordinal);
        Assert.Contains(blocked.Status.PublicKey2!, message, StringComparison.Ordinal);
        Assert.Contains(await harness.WaitForEventAsync("guarded", EventReasons.RotationBlocked), item => item.Reason == EventReasons.RotationBlocked);

        sshd.AuthorizeKey(blocked.Status.PublicKey2!);
        var twice = await WaitAsync(
            "guarded",
            connection => connection.Status?.Rotation is { Count: 2, Handled: "3" } && StatusOf(connection, "Validated") == "True",
            "the pending bump carried out, key 1 still accepted",
            WithinAMinute);

        Assert.Equal(blocked.Status.PublicKey2, twice.Status!.PublicKey1);
        Assert.Equal(ConditionReasons.Reconciled, ConditionOf(twice, "Ready")!.Reason);
    }

    [Fact]
    public async Task With_guard_None_a_bump_rotates_at_once_even_into_a_lockout()
    {
        await StartWithFastRechecksAsync();
        await harness!.CreateAsync("unguarded", BastionSpec(RotationGuard.None), rotateKeys: "1");
        var created = await WaitAsync("unguarded", HasKeys, "keys");
        sshd.SetAuthorizedKeys(created.Status!.PublicKey1!);
        await WaitAsync(
            "unguarded", connection => StatusOf(connection, "Validated") == "True" && StatusOf(connection, "SecondaryKeyAuthorized") == "False", "key 2 refused");

        await harness.AnnotateAsync("unguarded", "2");

        var locked = await WaitAsync(
            "unguarded", connection => connection.Status?.Rotation?.Count == 1 && StatusOf(connection, "Validated") == "False", "rotated, key 1 now refused");
        Assert.Contains("Permission denied (publickey)", ConditionOf(locked, "Validated")!.Message, StringComparison.Ordinal);
    }
}
