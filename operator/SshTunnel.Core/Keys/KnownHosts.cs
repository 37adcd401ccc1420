using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SshTunnel.Core.Keys;

/// <summary>
/// An OpenSSH <c>known_hosts</c> file, checked the way <c>ssh -o StrictHostKeyChecking=yes</c>
/// does: host patterns <c>host</c>, <c>[host]:port</c> and comma lists of them, hashed names
/// (<c>|1|salt|hash</c>), and <c>@revoked</c> lines. Wildcard patterns and
/// <c>@cert-authority</c> lines match nothing: the operator never writes them.
/// </summary>
public sealed class KnownHosts
{
    private const string HashedPrefix = "|1|";
    private const string RevokedMarker = "@revoked";

    private readonly List<Entry> entries;

    private KnownHosts(List<Entry> entries) => this.entries = entries;

    /// <summary>True when the file held no usable line: every host key is then accepted unverified.</summary>
    public bool IsEmpty => entries.Count == 0;

    /// <summary>Reads a known_hosts text; lines that are comments or do not parse are skipped.</summary>
    public static KnownHosts Parse(string? text)
    {
        var entries = new List<Entry>();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var revoked = line.StartsWith(RevokedMarker + " ", StringComparison.Ordinal);
            if (line[0] == '@' && !revoked)
            {
                continue;
            }

            var fields = (revoked ? line[RevokedMarker.Length..] : line).Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && SshPublicKey.TryParse(fields[1], out var key, out _))
            {
                entries.Add(new Entry(fields[0].Split(','), key, revoked));
            }
        }

        return new KnownHosts(entries);
    }

    /// <summary>What this file says about <paramref name="presented"/>, the key <paramref name="host"/>:<paramref name="port"/> showed.</summary>
    public HostKeyVerdict Check(string host, int port, SshPublicKey presented)
    {
        if (IsEmpty)
        {
            return HostKeyVerdict.Unverified;
        }

        var name = port == 22 ? host : string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}");
        var forHost = entries.Where(entry => entry.Patterns.Any(pattern => Matches(pattern, name))).ToList();
        if (forHost.Any(entry => entry.Revoked && entry.Key.SameKeyAs(presented)))
        {
            return HostKeyVerdict.Revoked;
        }

        var trusted = forHost.Where(entry => !entry.Revoked).ToList();
        return trusted.Count == 0 ? HostKeyVerdict.NotListed
            : trusted.Any(entry => entry.Key.SameKeyAs(presented)) ? HostKeyVerdict.Trusted
            : HostKeyVerdict.Mismatch;
    }

    private static bool Matches(string pattern, string name)
    {
        if (!pattern.StartsWith(HashedPrefix, StringComparison.Ordinal))
        {
            return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
        }

        var parts = pattern[HashedPrefix.Length..].Split('|');
        var salt = new byte[parts[0].Length];
        var hash = new byte[parts.Length == 2 ? parts[1].Length : 0];
        if (parts.Length != 2 || !Convert.TryFromBase64String(parts[0], salt, out var saltLength)
            || !Convert.TryFromBase64String(parts[1], hash, out var hashLength))
        {
            return false;
        }

        var computed = HMACSHA1.HashData(salt.AsSpan(0, saltLength), Encoding.UTF8.GetBytes(name.ToLowerInvariant()));
        return CryptographicOperations.FixedTimeEquals(computed, hash.AsSpan(0, hashLength));
    }

    private sealed record Entry(string[] Patterns, SshPublicKey Key, bool Revoked);
}
