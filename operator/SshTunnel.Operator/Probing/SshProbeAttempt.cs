using System.Net;
using System.Net.Sockets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// One try of a probe over SSH: resolve the host, log in with key 1 at each address in turn
/// until one answers, then with key 2 at the address that answered.
/// </summary>
/// <param name="options">The bounds of each login.</param>
/// <param name="timeProvider">The clock for the bounds.</param>
/// <param name="resolveHost">Name resolution; the system resolver unless a test gives a name several addresses.</param>
internal sealed class SshProbeAttempt(
    BastionProbeOptions options,
    TimeProvider timeProvider,
    Func<string, CancellationToken, Task<IPAddress[]>>? resolveHost = null) : IProbeAttempt
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolveHost = resolveHost ?? Dns.GetHostAddressesAsync;

    public async Task<ProbeResult> RunAsync(ProbeRequest request, ProbeKey key1, ProbeKey? key2, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var connection = request.Connection;
        var pin = string.IsNullOrWhiteSpace(request.HostKeyPin) ? null : HostKeyPin.Parse(request.HostKeyPin);

        var (addresses, resolutionFailure) = await ResolveAsync(connection.Host, deadline, cancellationToken).ConfigureAwait(false);
        if (resolutionFailure is not null)
        {
            return new ProbeResult(connection, resolutionFailure, null, null, null, timeProvider.GetUtcNow());
        }

        var failures = new List<string>();
        LoginResult? first = null;
        IPEndPoint? answered = null;
        foreach (var address in addresses)
        {
            var endpoint = new IPEndPoint(address, connection.Port);
            first = await SshLogin.RunAsync(endpoint, connection.User, key1, pin, options.ConnectTimeout, options.PreferredKeyExchange, timeProvider, deadline, cancellationToken)
                .ConfigureAwait(false);
            if (!first.Probe.Outcome.IsTransient())
            {
                answered = endpoint;
                break;
            }

            failures.Add(first.Probe.Message);
        }

        var key1Probe = answered is null && failures.Count > 1
            ? first!.Probe with { Message = string.Join("; ", failures) }
            : first!.Probe;

        LoginResult? second = null;
        if (key2 is not null && answered is not null && key1Probe.Outcome != ProbeOutcome.HostKeyMismatch)
        {
            second = await SshLogin.RunAsync(answered, connection.User, key2, pin, options.ConnectTimeout, options.PreferredKeyExchange, timeProvider, deadline, cancellationToken)
                .ConfigureAwait(false);
        }

        var hostKey = first.HostKey ?? second?.HostKey;
        return new ProbeResult(connection, key1Probe, second?.Probe, hostKey?.Line, hostKey?.Fingerprint, timeProvider.GetUtcNow());
    }

    private async Task<(IPAddress[] Addresses, KeyProbe? Failure)> ResolveAsync(string host, CancellationToken deadline, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return ([literal], null);
        }

        using var timeoutSource = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline, timeoutSource.Token);
        var started = timeProvider.GetTimestamp();
        try
        {
            var addresses = await resolveHost(host, bound.Token).WaitAsync(bound.Token).ConfigureAwait(false);
            return addresses.Length > 0
                ? (addresses, null)
                : ([], new KeyProbe(ProbeOutcome.NameResolutionFailed, $"{host}: the name has no addresses"));
        }
        catch (SocketException ex)
        {
            return ([], new KeyProbe(ProbeOutcome.NameResolutionFailed, $"{host}: {ex.Message}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var elapsed = LoginFailureClassifier.Seconds(timeProvider.GetElapsedTime(started));
            return ([], new KeyProbe(ProbeOutcome.NameResolutionFailed, $"{host}: no answer from the name resolver after {elapsed}"));
        }
    }
}
