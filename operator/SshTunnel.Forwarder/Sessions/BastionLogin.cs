using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;
using SshTunnel.Core.Keys;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Secrets;

namespace SshTunnel.Forwarder.Sessions;

/// <summary>
/// Logs in to the bastion named by a Secret version: key 1, then key 2, each in its own
/// handshake so that the key that worked is known; the host key is checked against the
/// Secret's known_hosts before authentication.
/// </summary>
public sealed class BastionLogin(ForwarderOptions options, ILogger<BastionLogin> logger)
{
    public async Task<BastionSession> ConnectAsync(MountedSecret secret, CancellationToken cancellationToken)
    {
        var refusals = new List<string>();
        foreach (var (number, pem) in Keys(secret))
        {
            using var keyFile = ReadKey(number, pem, out var fingerprint);
            var (client, hostKey, verdict) = await TryLoginAsync(secret, keyFile, cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                refusals.Add($"key {number} ({fingerprint})");
                continue;
            }

            try
            {
                return new BastionSession(client, logger, secret, number, fingerprint, hostKey!, verdict);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        throw new BastionLoginException(
            $"{secret.Target}: the bastion refused {string.Join(" and ", refusals)}; add the connection's public keys to the bastion's authorized_keys",
            "authentication");
    }

    private static IEnumerable<(int Number, string Pem)> Keys(MountedSecret secret)
    {
        yield return (1, secret.PrivateKey1);
        if (secret.PrivateKey2 is { } key2)
        {
            yield return (2, key2);
        }
    }

    private static PrivateKeyFile ReadKey(int number, string pem, out string fingerprint)
    {
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(pem));
            var file = new PrivateKeyFile(stream);
            fingerprint = SshFingerprint.Sha256(file.HostKeyAlgorithms.First().Data);
            return file;
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw new BastionLoginException($"private-key-{number} in the Secret cannot be read: {ex.Message}", "key_file", ex);
        }
    }

    private async Task<(SshClient? Client, SshPublicKey? HostKey, HostKeyVerdict Verdict)> TryLoginAsync(
        MountedSecret secret, PrivateKeyFile keyFile, CancellationToken cancellationToken)
    {
        var connectionInfo = new PrivateKeyConnectionInfo(secret.Host, secret.Port, secret.User, keyFile) { Timeout = options.ConnectTimeout };
        if (connectionInfo.Encryptions.ContainsKey(options.PreferredCipher))
        {
            connectionInfo.Encryptions.SetPosition(options.PreferredCipher, 0);
        }

        var client = new SshClient(connectionInfo) { KeepAliveInterval = options.KeepAliveInterval };
        SshPublicKey? presented = null;
        var verdict = HostKeyVerdict.Mismatch;
        client.HostKeyReceived += (_, e) =>
        {
            presented = SshPublicKey.TryFromBlob(e.HostKey, out var key, out string _) ? key : null;
            verdict = presented is null ? HostKeyVerdict.Mismatch : secret.KnownHosts.Check(secret.Host, secret.Port, presented);
            e.CanTrust = verdict is HostKeyVerdict.Trusted or HostKeyVerdict.Unverified;
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            return (client, presented, verdict);
        }
        catch (SshAuthenticationException) when (presented is not null && verdict is HostKeyVerdict.Trusted or HostKeyVerdict.Unverified)
        {
            client.Dispose();
            return (null, presented, verdict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw Explain(secret, ex, presented, verdict);
        }
    }

    private BastionLoginException Explain(MountedSecret secret, Exception ex, SshPublicKey? presented, HostKeyVerdict verdict)
    {
        if (presented is not null && verdict is not (HostKeyVerdict.Trusted or HostKeyVerdict.Unverified))
        {
            var why = verdict switch
            {
                HostKeyVerdict.Revoked => "is marked @revoked in the Secret's known_hosts",
                HostKeyVerdict.NotListed => "is for a host the Secret's known_hosts does not list",
                _ => "does not match the Secret's known_hosts",
            };
            return new BastionLoginException(
                $"{secret.Target}: host key {presented.Type} {presented.Fingerprint} {why}; refused, nothing is forwarded (revalidate the connection if the bastion's key really changed)",
                "host_key", ex);
        }

        var message = ex switch
        {
            OperationCanceledException or SshOperationTimeoutException =>
                string.Create(CultureInfo.InvariantCulture, $"no answer from the bastion within {options.ConnectTimeout.TotalSeconds:0.#} s (--connect-timeout)"),
            _ when FindSocketError(ex) is { } socket => socket.Message,
            _ => ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message,
        };
        return new BastionLoginException($"{secret.Target}: {message}", "connection", ex);
    }

    private static SocketException? FindSocketError(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
