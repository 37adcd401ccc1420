using SshTunnel.Core.Model;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Probing;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// A bastion that accepts TCP and never speaks holds a probe for a minute, longer than any
/// wait in these tests: whatever completes here did not wait for that probe.
/// </summary>
public sealed class SlowBastionTests : IAsyncLifetime
{
    private readonly SilentListener silent = new();
    private OperatorHarness harness = null!;

    public async Task InitializeAsync() =>
        harness = await OperatorHarness.StartAsync(
            new OperatorOptions { Workers = 2, ProbeConcurrency = 1 },
            new BastionProbeOptions { ConnectTimeout = TimeSpan.FromMinutes(1), MaxAttempts = 1, MaxTotal = TimeSpan.FromMinutes(1) });

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        silent.Dispose();
    }

    [Fact]
    public async Task A_rotation_and_other_resources_do_not_wait_for_a_hung_probe()
    {
        // Without the guard: with it, a bump would rightly wait for the first answer about key 2.
        var unguarded = new RotationSpec { Guard = RotationGuard.None };
        await harness.CreateAsync("slow", new ConnectionSpec { Host = "127.0.0.1", Port = silent.Port, User = "materialize", Validate = true, Rotation = unguarded }, rotateKeys: "1");
        var before = await harness.WaitAsync("slow", HasKeys, "keys published before validation");
        await Eventually.Until(() => silent.AcceptedCount >= 1, "the probe to connect to the silent bastion");

        await harness.CreateAsync("other", Spec());
        await harness.WaitAsync("other", connection => HasKeys(connection) && IsReady(connection), "the other resource ready");

        await harness.AnnotateAsync("slow", "2");
        var rotated = await harness.WaitAsync("slow", connection => connection.Status?.Rotation?.Count == 1, "the rotation");
        Assert.Equal(before.Status!.PublicKey2, rotated.Status!.PublicKey1);
        Assert.Equal("False", ConditionOf(rotated, "Ready")!.Status);
        Assert.Equal(1, silent.AcceptedCount);
    }

    [Fact]
    public async Task With_the_guard_a_bump_waits_for_the_first_answer_about_key_2_and_says_so()
    {
        await harness.CreateAsync("guarded", new ConnectionSpec { Host = "127.0.0.1", Port = silent.Port, User = "materialize", Validate = true }, rotateKeys: "1");
        await harness.WaitAsync("guarded", HasKeys, "keys published before validation");
        await Eventually.Until(() => silent.AcceptedCount >= 1, "the probe to connect to the silent bastion");

        await harness.AnnotateAsync("guarded", "2");

        var waiting = await harness.WaitAsync(
            "guarded", connection => ConditionOf(connection, "Ready")?.Reason == Core.Reconciliation.ConditionReasons.RotationPending, "RotationPending");
        Assert.Equal(0, waiting.Status!.Rotation!.Count);
    }
}
