using SshTunnel.Core.Keys;
using System.Net;
using Renci.SshNet;
using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// One SSH login with one key at one address: connect, authenticate, disconnect. Records the
/// host key the bastion presents and cancels the handshake when it does not match the pin.
/// </summary>
internal static class SshLogin
{
    public static async Task<LoginResult> RunAsync(
        IPEndPoint endpoint,
        string user,
        ProbeKey key,
        HostKeyPin? pin,
        TimeSpan timeout,
        string? preferredKeyExchange,
        TimeProvider timeProvider,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        var connectionInfo = new PrivateKeyConnectionInfo(endpoint.Address.ToString(), endpoint.Port, user, key.File)
        {
            Timeout = timeout,
        };
        if (preferredKeyExchange is not null && connectionInfo.KeyExchangeAlgorithms.ContainsKey(preferredKeyExchange))
        {
            connectionInfo.KeyExchangeAlgorithms.SetPosition(preferredKeyExchange, 0);
        }

        using var client = new SshClient(connectionInfo);
        SshPublicKey? presented = null;
        var rejected = false;
        client.HostKeyReceived += (_, e) =>
        {
            presented = TryRead(e.HostKey);
            if (pin is not null && (presented is null || !pin.Matches(presented)))
            {
                rejected = true;
                e.CanTrust = false;
            }
        };

        // ConnectionInfo.Timeout bounds each of SSH.NET's waits on its own; the token bounds the
        // login as a whole and carries the probe's deadline and the caller's cancellation.
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline, timeoutSource.Token);
        var started = timeProvider.GetTimestamp();
        try
        {
            await client.ConnectAsync(bound.Token).ConfigureAwait(false);
            client.Disconnect();
            return new LoginResult(
                new KeyProbe(ProbeOutcome.Authenticated, $"{user}@{endpoint}: authenticated with {key.Name} ({key.Fingerprint})."),
                presented);
        }
        catch (Exception ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rejected && pin is not null)
            {
                return new LoginResult(new KeyProbe(ProbeOutcome.HostKeyMismatch, MismatchMessage(user, endpoint, presented, pin)), presented);
            }

            var elapsed = timeProvider.GetElapsedTime(started);
            return new LoginResult(LoginFailureClassifier.Classify(ex, user, endpoint, key, elapsed), presented);
        }
    }

    private static SshPublicKey? TryRead(byte[] hostKeyBlob) =>
        SshPublicKey.TryFromBlob(hostKeyBlob, out var key, out _) ? key : null;

    private static string MismatchMessage(string user, IPEndPoint endpoint, SshPublicKey? presented, HostKeyPin pin)
    {
        var what = presented is null ? "a host key that cannot be read" : $"{presented.Type} {presented.Fingerprint}";
        return pin.IsReadable
            ? $"{user}@{endpoint}: host key mismatch: the bastion presented {what}, the pin is {pin.Fingerprint}."
            : $"{user}@{endpoint}: host key mismatch: the pin \"{pin.Text}\" is neither an OpenSSH public key line nor a SHA256: fingerprint; the bastion presented {what}.";
    }
}
