using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Core.Model;
using SshTunnel.Core.Validation;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Sshd;
using Xunit.Abstractions;

namespace SshTunnel.Operator.Tests.Probing;

/// <summary>A real <see cref="SshBastionProbe"/> on the system clock whose attempts are counted.</summary>
internal sealed class ProbeHarness
{
    /// <summary>Generous bounds for a loaded machine, with short backoff so retries do not slow the suite.</summary>
    public static readonly BastionProbeOptions DefaultOptions = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        MaxAttempts = 3,
        MaxTotal = TimeSpan.FromSeconds(60),
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Stops a hung test; not a timing assertion.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    public ProbeHarness(BastionProbeOptions? options = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolveHost = null)
    {
        var effective = options ?? DefaultOptions;
        Attempts = new CountingAttempt(new SshProbeAttempt(effective, TimeProvider.System, resolveHost));
        Probe = new SshBastionProbe(effective, TimeProvider.System, NullLogger<SshBastionProbe>.Instance, Attempts);
    }

    public SshBastionProbe Probe { get; }

    public CountingAttempt Attempts { get; }

    public static ProbeRequest Request(string host, int port, string user, SshKeyPair key1, SshKeyPair? key2 = null, string? pin = null) =>
        new(new ConnectionParameters(host, port, user), key1.PrivateKey, key2?.PrivateKey, pin);

    /// <summary>Probes; the hang guard only stops a stuck test, the probe alone decides how the token is honoured.</summary>
    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, ITestOutputHelper output, CancellationToken cancellationToken = default)
    {
        var result = await Probe.ProbeAsync(request, cancellationToken).WaitAsync(HangGuard, CancellationToken.None);
        output.WriteLine($"key 1: {result.Key1.Outcome}: {result.Key1.Message}");
        output.WriteLine(result.Key2 is { } key2 ? $"key 2: {key2.Outcome}: {key2.Message}" : "key 2: not tried");
        output.WriteLine($"host key: {result.HostKey} {result.HostKeyFingerprint}");
        return result;
    }
}
