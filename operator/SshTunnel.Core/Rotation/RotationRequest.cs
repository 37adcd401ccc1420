using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Rotation;

/// <summary>
/// A rotation asked for: by a <c>sshtunnels.io/rotate-keys</c> value greater than the one handled,
/// or by the schedule (<c>spec.rotation.interval</c>) once key 1 is older than the interval. Both
/// go through the same guard and the same single Secret write.
/// </summary>
/// <param name="Token">The annotation value to record as handled (canonical); null for a scheduled rotation.</param>
/// <param name="Interval">The interval that made it due; null for a rotation asked by annotation.</param>
public sealed record RotationRequest(string? Token, TimeSpan? Interval)
{
    /// <summary>Whether the schedule asked for it rather than the annotation.</summary>
    public bool Scheduled => Token is null;

    /// <summary>
    /// The rotation pending for <paramref name="content"/>, or null: the annotation wins over the
    /// schedule, and the schedule is due once <paramref name="now"/> reaches <see cref="NextTime"/>.
    /// </summary>
    public static RotationRequest? Pending(RotationToken token, KeySecret content, RotationSpec? spec, DateTimeOffset? secretCreated, DateTimeOffset now)
    {
        if (token.IsNewerThan(content.Rotation.Handled))
        {
            return new RotationRequest(token.Canonical, null);
        }

        return NextTime(content, spec, secretCreated) is { } due && due <= now
            ? new RotationRequest(null, spec!.ParsedInterval)
            : null;
    }

    /// <summary>
    /// When key 1 becomes older than the interval: its last rotation (or, before any, the Secret's
    /// creation) plus the interval. A rotation however late moves it to that rotation plus the
    /// interval, so an outage of many intervals gives one rotation, never a burst.
    /// </summary>
    public static DateTimeOffset? NextTime(KeySecret content, RotationSpec? spec, DateTimeOffset? secretCreated) =>
        spec?.ParsedInterval is { } interval && (content.Rotation.LastRotationTime ?? secretCreated) is { } key1Since
            ? key1Since + interval
            : null;
}
