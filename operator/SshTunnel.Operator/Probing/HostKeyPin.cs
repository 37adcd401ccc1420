using SshTunnel.Core.Keys;

namespace SshTunnel.Operator.Probing;

/// <summary>
/// The host key a connection insists on (<c>spec.hostKey</c>): either a public key line
/// (<c>ssh-ed25519 AAAA...</c>, compared by type and key, not comment) or a
/// <c>SHA256:</c> fingerprint (compared without base64 padding). A pin that is neither
/// matches no key, so a typo locks the connection rather than opening it.
/// </summary>
public sealed class HostKeyPin
{
    private readonly SshPublicKey? key;
    private readonly string? fingerprint;

    private HostKeyPin(string text, SshPublicKey? key, string? fingerprint)
    {
        Text = text;
        this.key = key;
        this.fingerprint = fingerprint;
    }

    /// <summary>The pin as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>The pinned key's <c>SHA256:</c> fingerprint, or the pin itself when it cannot be read.</summary>
    public string Fingerprint => key?.Fingerprint ?? fingerprint ?? Text;

    /// <summary>Whether the pin names a key or a fingerprint at all.</summary>
    public bool IsReadable => key is not null || fingerprint is not null;

    /// <summary>Reads a pin; never fails, see <see cref="IsReadable"/>.</summary>
    public static HostKeyPin Parse(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var text = pin.Trim();
        if (text.StartsWith(SshFingerprint.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var body = text[SshFingerprint.Prefix.Length..].TrimEnd('=');
            return body.Length > 0 && !body.Any(char.IsWhiteSpace)
                ? new HostKeyPin(text, null, SshFingerprint.Prefix + body)
                : new HostKeyPin(text, null, null);
        }

        return SshPublicKey.TryParse(text, out var key, out _)
            ? new HostKeyPin(text, key, null)
            : new HostKeyPin(text, null, null);
    }

    /// <summary>True when the presented host key is the pinned one.</summary>
    public bool Matches(SshPublicKey presented) =>
        key is not null
            ? key.SameKeyAs(presented)
            : fingerprint is not null && string.Equals(fingerprint, presented.Fingerprint, StringComparison.Ordinal);

    public override string ToString() => Text;
}
