using System.Globalization;
using System.Text;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;

namespace SshTunnel.Core.Secrets;

/// <summary>Reads a key Secret into a <see cref="KeySecret"/> and builds the Secret back from one.</summary>
public static class KeySecretCodec
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// The typed content of <paramref name="snapshot"/>, or the first thing wrong with it:
    /// a wrong type, a missing or unparsable key, a private key that does not match its public
    /// key, a bad port, a partial connection, or corrupt rotation annotations.
    /// </summary>
    public static KeySecretReadResult Read(SecretSnapshot snapshot) => Read(snapshot, derive: true, out _);

    /// <summary>
    /// <see cref="Read(SecretSnapshot)"/>; without <paramref name="derive"/> the private keys'
    /// seeds are checked only against pairs this process made or checked before
    /// (<paramref name="pairsConfirmed"/>), so a content read this way may still hold a seed that
    /// does not belong to its public key; such pairs are added to <paramref name="pending"/>, when given.
    /// </summary>
    internal static KeySecretReadResult Read(SecretSnapshot snapshot, bool derive, out bool pairsConfirmed, PendingPairCheck? pending = null)
    {
        pairsConfirmed = false;
        if (snapshot.Type != KeySecretLayout.SecretType)
        {
            return Invalid($"its type is {snapshot.Type}, not {KeySecretLayout.SecretType}");
        }

        var key1 = ReadPair(snapshot, KeySecretLayout.PublicKey1, KeySecretLayout.PrivateKey1, derive, pending, out var confirmed1, out var problem);
        if (key1 is null)
        {
            return Invalid(problem);
        }

        var key2 = ReadPair(snapshot, KeySecretLayout.PublicKey2, KeySecretLayout.PrivateKey2, derive, pending, out var confirmed2, out problem);
        if (key2 is null)
        {
            return Invalid(problem);
        }

        if (!TryReadConnection(snapshot, out var connection, out problem)
            || !TryReadRotation(snapshot.Annotations, out var rotation, out problem))
        {
            return Invalid(problem);
        }

        var knownHosts = Text(snapshot, KeySecretLayout.KnownHosts);
        pairsConfirmed = confirmed1 && confirmed2;
        return new KeySecretReadResult(
            new KeySecret(key1, key2, connection, string.IsNullOrWhiteSpace(knownHosts) ? null : knownHosts.Trim(), rotation),
            null);
    }

    /// <summary>
    /// The full Secret for <paramref name="content"/>, owned by the connection
    /// <paramref name="connectionName"/> (uid <paramref name="connectionUid"/>). Labels,
    /// annotations and data entries of <paramref name="existing"/> that the operator does not
    /// own are kept, so a replace never drops what others added. Under
    /// <see cref="SecretPolicy.Retain"/> the Secret has no owner, so it outlives the connection.
    /// </summary>
    public static SecretContents Build(
        string connectionNamespace,
        string connectionName,
        string connectionUid,
        KeySecret content,
        SecretSnapshot? existing,
        SecretPolicy policy = SecretPolicy.Delete)
    {
        var labels = new Dictionary<string, string>(existing?.Labels ?? new Dictionary<string, string>())
        {
            [KeySecretLayout.ManagedByLabel] = KeySecretLayout.ManagedByValue,
            [KeySecretLayout.ConnectionLabel] = connectionName,
        };

        var annotations = Foreign(existing?.Annotations, KeySecretLayout.OwnedAnnotations);
        annotations[KeySecretLayout.RotationCountAnnotation] = content.Rotation.Count.ToString(CultureInfo.InvariantCulture);
        if (content.Rotation.Handled is { } handled)
        {
            annotations[KeySecretLayout.RotationHandledAnnotation] = handled;
        }

        if (content.Rotation.LastRotationTime is { } rotated)
        {
            annotations[KeySecretLayout.LastRotationTimeAnnotation] = FormatTime(rotated);
        }

        var data = Foreign(existing?.Data, KeySecretLayout.OwnedDataKeys);
        data[KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes(content.Key1.PrivateKey);
        data[KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes(content.Key1.PublicKey);
        data[KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(content.Key2.PrivateKey);
        data[KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes(content.Key2.PublicKey);
        if (content.Connection is { } connection)
        {
            data[KeySecretLayout.Host] = Encoding.UTF8.GetBytes(connection.Host);
            data[KeySecretLayout.Port] = Encoding.UTF8.GetBytes(connection.Port.ToString(CultureInfo.InvariantCulture));
            data[KeySecretLayout.User] = Encoding.UTF8.GetBytes(connection.User);
        }

        if (content.KnownHosts is { } knownHosts)
        {
            data[KeySecretLayout.KnownHosts] = Encoding.UTF8.GetBytes(knownHosts + "\n");
        }

        return new SecretContents(
            connectionNamespace,
            KeySecretLayout.SecretName(connectionName),
            KeySecretLayout.SecretType,
            labels,
            annotations,
            data,
            policy == SecretPolicy.Retain ? null : new SecretOwner(connectionName, connectionUid));
    }

    /// <summary>Kubernetes' RFC 3339 form with whole seconds, so values survive a round trip unchanged.</summary>
    internal static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static Dictionary<string, T> Foreign<T>(IReadOnlyDictionary<string, T>? existing, string[] owned) =>
        (existing ?? new Dictionary<string, T>())
            .Where(entry => !owned.Contains(entry.Key))
            .ToDictionary(entry => entry.Key, entry => entry.Value);

    private static KeySecretReadResult Invalid(string problem) => new(null, problem);

    private static string? Text(SecretSnapshot snapshot, string key) =>
        snapshot.Data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static KeyPair? ReadPair(
        SecretSnapshot snapshot, string publicKey, string privateKey, bool derive, PendingPairCheck? pending, out bool confirmed, out string problem)
    {
        confirmed = false;
        var publicText = Text(snapshot, publicKey);
        var privateText = Text(snapshot, privateKey);
        if (publicText is null || privateText is null)
        {
            problem = $"data key {(publicText is null ? publicKey : privateKey)} is missing";
            return null;
        }

        var pair = new KeyPair(publicText.Trim(), privateText);
        (var pairProblem, confirmed) = Ed25519OpenSsh.Inspect(pair, derive, pending);
        problem = pairProblem is null ? "" : $"{privateKey}/{publicKey}: {pairProblem}";
        return pairProblem is null ? pair : null;
    }

    private static bool TryReadConnection(SecretSnapshot snapshot, out ConnectionParameters? connection, out string problem)
    {
        connection = null;
        problem = "";
        var host = Text(snapshot, KeySecretLayout.Host);
        var port = Text(snapshot, KeySecretLayout.Port);
        var user = Text(snapshot, KeySecretLayout.User);
        if (host is null && port is null && user is null)
        {
            return true;
        }

        if (host is null || port is null || user is null)
        {
            problem = "data keys host, port and user must be present together";
            return false;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            problem = $"data key port is \"{port}\", not a port number (1..65535)";
            return false;
        }

        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(user))
        {
            problem = "data keys host and user must not be empty";
            return false;
        }

        connection = new ConnectionParameters(host, portNumber, user);
        return true;
    }

    private static bool TryReadRotation(IReadOnlyDictionary<string, string> annotations, out RotationStatus rotation, out string problem)
    {
        rotation = new RotationStatus();
        problem = "";
        long count = 0;
        if (annotations.TryGetValue(KeySecretLayout.RotationCountAnnotation, out var countText)
            && (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count)))
        {
            problem = $"annotation {KeySecretLayout.RotationCountAnnotation} is \"{countText}\", not a count";
            return false;
        }

        annotations.TryGetValue(KeySecretLayout.RotationHandledAnnotation, out var handled);
        if (handled is not null && RotationToken.Parse(handled) is not { IsValid: true })
        {
            problem = $"annotation {KeySecretLayout.RotationHandledAnnotation} is \"{handled}\", not an integer";
            return false;
        }

        DateTimeOffset? lastRotation = null;
        if (annotations.TryGetValue(KeySecretLayout.LastRotationTimeAnnotation, out var timeText))
        {
            if (!DateTimeOffset.TryParseExact(timeText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                problem = $"annotation {KeySecretLayout.LastRotationTimeAnnotation} is \"{timeText}\", not a time";
                return false;
            }

            lastRotation = time;
        }

        rotation = new RotationStatus { Handled = handled, Count = count, LastRotationTime = lastRotation };
        return true;
    }
}
