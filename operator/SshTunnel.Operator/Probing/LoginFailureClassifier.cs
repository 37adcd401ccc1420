using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Renci.SshNet.Common;
using SshTunnel.Core.Validation;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// Turns what SSH.NET or the OS threw during one login into an outcome whose message keeps
/// their own words and names the user and address tried.
/// </summary>
internal static class LoginFailureClassifier
{
    public static KeyProbe Classify(Exception exception, string user, IPEndPoint endpoint, ProbeKey key, TimeSpan elapsed)
    {
        var where = $"{user}@{endpoint}";
        if (exception is OperationCanceledException)
        {
            return new KeyProbe(ProbeOutcome.Timeout, $"{where}: no answer from the bastion after {Seconds(elapsed)}");
        }

        if (FindSocketException(exception) is { } socket)
        {
            return new KeyProbe(OutcomeOf(socket.SocketErrorCode), $"{where}: {socket.Message}");
        }

        return exception switch
        {
            SshAuthenticationException denied => new KeyProbe(
                ProbeOutcome.AuthenticationFailed,
                $"{where}: {denied.Message} The bastion refused {key.Name} ({key.Fingerprint}) for user {user}."),
            SshOperationTimeoutException or TimeoutException => new KeyProbe(
                ProbeOutcome.Timeout, $"{where}: {exception.Message} (no answer from the bastion after {Seconds(elapsed)})"),
            _ => new KeyProbe(ProbeOutcome.ProtocolError, $"{where}: {Describe(exception)}"),
        };
    }

    public static ProbeOutcome OutcomeOf(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ProbeOutcome.ConnectionRefused,
        SocketError.TimedOut => ProbeOutcome.Timeout,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ProbeOutcome.NameResolutionFailed,
        _ => ProbeOutcome.ProtocolError,
    };

    public static string Seconds(TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s");

    private static SocketException? FindSocketException(Exception exception)
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

    // SSH.NET often wraps the useful words (e.g. "Connection reset by peer") one level down.
    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
}
