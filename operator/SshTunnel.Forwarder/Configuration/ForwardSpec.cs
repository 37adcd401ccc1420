using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SshTunnel.Forwarder.Configuration;

/// <summary>
/// One forwarded port: connections to <see cref="ListenPort"/> reach
/// <see cref="TargetHost"/>:<see cref="TargetPort"/> as seen from the bastion. Written on the
/// command line as <c>name=listenPort:targetHost:targetPort</c>.
/// </summary>
public sealed record ForwardSpec(string Name, int ListenPort, string TargetHost, int TargetPort)
{
    private const int MaxNameLength = 63;

    /// <summary>Reads <c>name=listenPort:targetHost:targetPort</c>; <paramref name="error"/> says what to fix otherwise.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ForwardSpec? spec, out string error)
    {
        spec = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var firstColon = text.IndexOf(':', StringComparison.Ordinal);
        var lastColon = text.LastIndexOf(':');
        if (equals <= 0 || firstColon < equals || lastColon == firstColon)
        {
            error = $"--forward '{text}' must look like name=listenPort:targetHost:targetPort, e.g. postgres=5432:db.internal:5432";
            return false;
        }

        var name = text[..equals];
        var targetHost = text[(firstColon + 1)..lastColon];
        if (!IsName(name))
        {
            error = $"--forward '{text}': the name '{name}' must be at most {MaxNameLength} lower-case letters, digits and '-', starting with a letter";
            return false;
        }

        if (!TryPort(text[(equals + 1)..firstColon], out var listenPort) || !TryPort(text[(lastColon + 1)..], out var targetPort))
        {
            error = $"--forward '{text}': ports must be integers from 1 to 65535";
            return false;
        }

        if (targetHost.Length == 0 || targetHost.Any(char.IsWhiteSpace))
        {
            error = $"--forward '{text}': the target host must be a host name or address without spaces";
            return false;
        }

        spec = new ForwardSpec(name, listenPort, targetHost.Trim('[', ']'), targetPort);
        error = "";
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}={ListenPort}:{TargetHost}:{TargetPort}");

    private static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
