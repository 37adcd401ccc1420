using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;
using Xunit.Abstractions;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>The probe against bastions that never get as far as SSH: refused, silent, unresolvable.</summary>
public sealed class UnreachableBastionTests(ITestOutputHelper output)
{
    private static readonly SshKeyPair Key1 = SshKeyPair.Generate("key-1");
    private static readonly SshKeyPair Key2 = SshKeyPair.Generate("key-2");

    [Fact]
    public async Task Nothing_listening_is_connection_refused_in_the_os_words_after_every_attempt()
    {
        var port = FreePort.Find();
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(ProbeHarness.Request("127.0.0.1", port, "root", Key1, Key2), output);

        Assert.Equal(ProbeOutcome.ConnectionRefused, result.Key1.Outcome);
        Assert.Contains("Connection refused", result.Key1.Message, StringComparison.Ordinal);
        Assert.Contains($"root@127.0.0.1:{port}", result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
        Assert.Null(result.HostKeyFingerprint);
        Assert.Equal(ProbeHarness.DefaultOptions.MaxAttempts, harness.Attempts.Count);
    }

    [Fact]
    public async Task A_listener_that_never_speaks_times_out_within_the_configured_bound()
    {
        using var silent = new SilentListener();
        var options = new BastionProbeOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            MaxAttempts = 2,
            MaxTotal = TimeSpan.FromSeconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        var harness = new ProbeHarness(options);

        var result = await harness.ProbeAsync(ProbeHarness.Request("127.0.0.1", silent.Port, "root", Key1, Key2), output);

        Assert.True(result.Key1.Outcome == ProbeOutcome.Timeout, $"{result.Key1.Outcome}: {result.Key1.Message}");
        Assert.Contains($"root@127.0.0.1:{silent.Port}", result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
        Assert.Equal(2, harness.Attempts.Count);
    }

    [Fact]
    public async Task The_overall_bound_ends_a_probe_whose_logins_would_wait_longer()
    {
        using var silent = new SilentListener();
        var options = new BastionProbeOptions
        {
            ConnectTimeout = TimeSpan.FromMinutes(10),
            MaxAttempts = 3,
            MaxTotal = TimeSpan.FromSeconds(1),
        };
        var harness = new ProbeHarness(options);

        var result = await harness.ProbeAsync(ProbeHarness.Request("127.0.0.1", silent.Port, "root", Key1), output);

        Assert.True(result.Key1.Outcome == ProbeOutcome.Timeout, $"{result.Key1.Outcome}: {result.Key1.Message}");
        Assert.Contains($"root@127.0.0.1:{silent.Port}", result.Key1.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates()
    {
        using var silent = new SilentListener();
        var options = new BastionProbeOptions { ConnectTimeout = TimeSpan.FromMinutes(10), MaxTotal = TimeSpan.FromMinutes(10) };
        var harness = new ProbeHarness(options);
        using var cancellation = new CancellationTokenSource();

        var probe = harness.ProbeAsync(ProbeHarness.Request("127.0.0.1", silent.Port, "root", Key1), output, cancellation.Token);
        await Eventually.Until(() => silent.AcceptedCount > 0, "the probe to connect to the silent bastion", ProbeHarness.HangGuard);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe);
    }

    [Fact]
    public async Task A_server_that_does_not_speak_ssh_is_a_protocol_error_and_retried()
    {
        using var webServer = new NonSshListener();
        var harness = new ProbeHarness();

        var result = await harness.ProbeAsync(ProbeHarness.Request("127.0.0.1", webServer.Port, "root", Key1, Key2), output);

        Assert.True(result.Key1.Outcome == ProbeOutcome.ProtocolError, $"{result.Key1.Outcome}: {result.Key1.Message}");
        Assert.Contains($"root@127.0.0.1:{webServer.Port}", result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
        Assert.Equal(ProbeHarness.DefaultOptions.MaxAttempts, harness.Attempts.Count);
    }

    [Fact]
    public async Task An_unresolvable_host_is_name_resolution_failed()
    {
        var harness = new ProbeHarness(ProbeHarness.DefaultOptions);

        var result = await harness.ProbeAsync(ProbeHarness.Request("no-such-bastion.invalid", 22, "root", Key1, Key2), output);

        Assert.True(result.Key1.Outcome == ProbeOutcome.NameResolutionFailed, $"{result.Key1.Outcome}: {result.Key1.Message}");
        Assert.Contains("no-such-bastion.invalid", result.Key1.Message, StringComparison.Ordinal);
        Assert.Null(result.Key2);
    }
}
