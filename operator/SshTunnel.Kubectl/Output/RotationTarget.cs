using System.Globalization;
using SshTunnel.Core.Rotation;
using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Output;

/// <summary>The value <c>rotate</c> writes to <c>sshtunnels.io/rotate-keys</c>: one more than anything seen, so it rotates exactly once.</summary>
public static class RotationTarget
{
    /// <summary>
    /// The larger of <c>status.rotation.handled</c> and the annotation (when it is a valid
    /// token) plus one, as a plain base-10 integer, the only form the operator accepts.
    /// </summary>
    public static long Next(string? handled, string? annotation)
    {
        var highest = RotationToken.Parse(RotationToken.Max(handled, annotation)).Value ?? 0;
        return highest < long.MaxValue
            ? highest + 1
            : throw new PluginException($"the rotate-keys value {highest.ToString(CultureInfo.InvariantCulture)} is the largest 64-bit integer; no greater value can rotate again");
    }

    /// <summary>Whether <paramref name="handled"/> (<c>status.rotation.handled</c>) has reached <paramref name="target"/>.</summary>
    public static bool IsHandled(string? handled, long target) =>
        RotationToken.Parse(handled).Value is { } value && value >= target;
}
