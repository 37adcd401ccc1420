using System.Globalization;
using System.Text;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// Reads a <see cref="ChaosHistory"/> and names every broken promise: a rotate-keys value that
/// led to more than one promotion (derived from the Secret's key history), pair 2 dropped instead
/// of promoted, a status that published keys the Secret never held or disagrees with it once
/// converged, private key material in the logs, and no convergence within the bound.
/// </summary>
public static class ChaosChecker
{
    private const string PrivateKeyMarker = "PRIVATE KEY";

    /// <summary>The shortest piece of a key's encoding that counts as the key found in a log line.</summary>
    private const int KeyPieceLength = 32;

    public static IReadOnlyList<Violation> Check(ChaosHistory history)
    {
        List<Violation> violations = [];
        foreach (var versions in history.Secrets.GroupBy(version => version.Connection))
        {
            var ordered = versions.DistinctBy(version => version.ResourceVersion).OrderBy(version => version.ResourceVersion).ToList();
            history.Bumps.TryGetValue(versions.Key, out var bumps);
            violations.AddRange(CheckKeyHistory(versions.Key, ordered, bumps ?? [], history.Gaps));
            violations.AddRange(CheckPublishedKeys(versions.Key, ordered, history.Statuses.Where(status => status.Connection == versions.Key), history.Gaps.Count > 0));
        }

        foreach (var (connection, (secret, status)) in history.Final)
        {
            violations.AddRange(CheckConverged(connection, secret, status, history.Bumps.GetValueOrDefault(connection)));
        }

        violations.AddRange(CheckLogs(history.LogLines, history.Secrets));
        if (history.ConvergedAfterLastKill is not { } converged)
        {
            violations.Add(new Violation(ViolationKind.NotConverged, string.Empty, "never converged after the last kill"));
        }
        else if (converged > history.ConvergenceBound)
        {
            violations.Add(new Violation(
                ViolationKind.NotConverged,
                string.Empty,
                string.Create(CultureInfo.InvariantCulture, $"converged {converged.TotalSeconds:0.0} s after the last kill, bound {history.ConvergenceBound.TotalSeconds:0} s")));
        }

        return violations;
    }

    /// <summary>
    /// Each change of the keys between two versions must be one promotion (pair 2 becomes pair 1,
    /// a new pair 2) carrying a rotate-keys value higher than the last one handled and written by
    /// the run. Across a relist, where versions may be missing, the rotation count tells how many
    /// promotions happened; with more than one only the count and the handled value are checked.
    /// </summary>
    private static IEnumerable<Violation> CheckKeyHistory(string connection, List<SecretVersion> versions, List<long> bumps, List<long> gaps)
    {
        var promotions = 0;
        for (var index = 1; index < versions.Count; index++)
        {
            var before = versions[index - 1];
            var after = versions[index];
            if (SameKeys(before, after))
            {
                continue;
            }

            var rotations = after.RotationCount - before.RotationCount;
            var missed = gaps.Any(gap => gap >= before.ResourceVersion && gap < after.ResourceVersion);
            if (IsPromotion(before, after))
            {
                promotions++;
            }
            else if (missed && rotations >= 2)
            {
                promotions += rotations;
            }
            else
            {
                yield return new Violation(
                    ViolationKind.LostPairTwo,
                    connection,
                    $"pair 2 of resourceVersion {before.ResourceVersion} ({Short(before.PublicKey2)}) is not pair 1 of resourceVersion {after.ResourceVersion} ({Short(after.PublicKey1)})");
                continue;
            }

            if (after.RotationHandled is not { } handled || (before.RotationHandled is { } earlier && handled <= earlier))
            {
                yield return new Violation(
                    ViolationKind.DoubleRotation,
                    connection,
                    $"the promotion at resourceVersion {after.ResourceVersion} handled rotate-keys {Describe(after.RotationHandled)}, already handled at {before.ResourceVersion} ({Describe(before.RotationHandled)})");
            }
            else if (!bumps.Contains(handled))
            {
                yield return new Violation(
                    ViolationKind.DoubleRotation,
                    connection,
                    $"the promotion at resourceVersion {after.ResourceVersion} handled rotate-keys {handled}, a value never written");
            }
        }

        var asked = bumps.Distinct().Count();
        if (promotions > asked)
        {
            yield return new Violation(ViolationKind.DoubleRotation, connection, $"{promotions} promotions for {asked} rotate-keys values written");
        }
    }

    /// <summary>
    /// Every status version publishes a pair of keys some version of the Secret held. After a
    /// relist a Secret version may be missing: then two keys that follow each other in the
    /// Secret's history of keys (each rotation adds one) are a pair it held as well.
    /// </summary>
    private static IEnumerable<Violation> CheckPublishedKeys(string connection, List<SecretVersion> secrets, IEnumerable<StatusVersion> statuses, bool relisted)
    {
        var held = secrets.Select(secret => (secret.PublicKey1, secret.PublicKey2)).ToHashSet();
        if (relisted)
        {
            var sequence = secrets.SelectMany(secret => new[] { secret.PublicKey1, secret.PublicKey2 }).Distinct().ToList();
            held.UnionWith(sequence.Zip(sequence.Skip(1)));
        }

        foreach (var status in statuses.Where(status => status.PublicKey1 is not null || status.PublicKey2 is not null))
        {
            if (!held.Contains((status.PublicKey1!, status.PublicKey2!)))
            {
                yield return new Violation(
                    ViolationKind.StatusMismatch,
                    connection,
                    $"the status at resourceVersion {status.ResourceVersion} published {Short(status.PublicKey1)} and {Short(status.PublicKey2)}, a pair the Secret never held");
            }
        }
    }

    private static IEnumerable<Violation> CheckConverged(string connection, SecretVersion secret, StatusVersion status, List<long>? bumps)
    {
        if (status.PublicKey1 != secret.PublicKey1 || status.PublicKey2 != secret.PublicKey2)
        {
            yield return new Violation(
                ViolationKind.StatusMismatch,
                connection,
                $"converged status publishes {Short(status.PublicKey1)} and {Short(status.PublicKey2)}, the Secret holds {Short(secret.PublicKey1)} and {Short(secret.PublicKey2)}");
        }

        if (status.RotationCount != secret.RotationCount || status.RotationHandled != secret.RotationHandled)
        {
            yield return new Violation(
                ViolationKind.StatusMismatch,
                connection,
                $"converged status says {status.RotationCount} rotations handling {Describe(status.RotationHandled)}, the Secret {secret.RotationCount} handling {Describe(secret.RotationHandled)}");
        }

        if (bumps is { Count: > 0 } && secret.RotationHandled != bumps.Max())
        {
            yield return new Violation(
                ViolationKind.StatusMismatch,
                connection,
                $"converged Secret handled rotate-keys {Describe(secret.RotationHandled)}, the last value written is {bumps.Max()}");
        }
    }

    /// <summary>A log line with a private key's marker or a piece of any private key, as text or as the Secret's base64.</summary>
    private static IEnumerable<Violation> CheckLogs(IEnumerable<string> lines, IEnumerable<SecretVersion> secrets)
    {
        var pieces = secrets
            .SelectMany(secret => KeyPieces(secret.PrivateKey1, secret.PublicKey1).Concat(KeyPieces(secret.PrivateKey2, secret.PublicKey2)))
            .ToHashSet(StringComparer.Ordinal);
        var lookup = pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        var number = 0;
        foreach (var logged in lines)
        {
            number++;
            // JSON logs escape '+' and may escape '/'; a key is searched as written.
            var line = logged.Replace("\\u002B", "+", StringComparison.Ordinal).Replace("\\/", "/", StringComparison.Ordinal);
            if (line.Contains(PrivateKeyMarker, StringComparison.Ordinal) || ContainsPiece(line, lookup))
            {
                yield return new Violation(ViolationKind.KeyInLogs, string.Empty, $"log line {number} carries private key material");
            }
        }
    }

    private static bool ContainsPiece(string line, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> pieces)
    {
        for (var start = 0; start + KeyPieceLength <= line.Length; start++)
        {
            if (pieces.Contains(line.AsSpan(start, KeyPieceLength)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The key's body and its base64 encoding as a Secret stores it, cut in pieces; the pieces of
    /// the body that are the public key (which the private key format embeds) are left out.
    /// </summary>
    private static IEnumerable<string> KeyPieces(string privateKey, string publicKey)
    {
        var body = string.Concat(privateKey.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(privateKey));
        return Chunks(body).Where(piece => !publicKey.Contains(piece, StringComparison.Ordinal)).Concat(Chunks(encoded));
    }

    private static IEnumerable<string> Chunks(string text)
    {
        for (var start = 0; start + KeyPieceLength <= text.Length; start += KeyPieceLength)
        {
            yield return text.Substring(start, KeyPieceLength);
        }
    }

    private static bool SameKeys(SecretVersion before, SecretVersion after) =>
        before.PublicKey1 == after.PublicKey1 && before.PrivateKey1 == after.PrivateKey1
        && before.PublicKey2 == after.PublicKey2 && before.PrivateKey2 == after.PrivateKey2;

    private static bool IsPromotion(SecretVersion before, SecretVersion after) =>
        after.PublicKey1 == before.PublicKey2 && after.PrivateKey1 == before.PrivateKey2
        && after.PublicKey2 != before.PublicKey1 && after.PublicKey2 != before.PublicKey2
        && after.PrivateKey2 != before.PrivateKey1 && after.PrivateKey2 != before.PrivateKey2;

    private static string Describe(long? handled) => handled?.ToString(CultureInfo.InvariantCulture) ?? "none";

    /// <summary>The end of a public key line, enough to tell keys apart in a message.</summary>
    private static string Short(string? publicKey) =>
        publicKey is null ? "none" : "..." + publicKey.Split(' ').ElementAtOrDefault(1)?[^8..];
}
