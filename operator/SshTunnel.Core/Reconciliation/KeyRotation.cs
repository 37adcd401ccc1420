using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The rotation rule: a rotation request (an annotation value greater than the one handled, or
/// the schedule) promotes key 2 to key 1 and generates a new key 2, exactly once per request; a
/// missing Secret gets new keys without counting a rotation.
/// </summary>
internal static class KeyRotation
{
    /// <summary>The Secret's content after the rotation <paramref name="request"/> asks for, if any.</summary>
    public static KeySecret Apply(KeySecret content, RotationRequest? request, ReconcileInput input, DateTimeOffset now) =>
        request is null
            ? content
            : content with
            {
                Key1 = content.Key2,
                Key2 = NewKeyPair(input),
                Rotation = new RotationStatus { Handled = request.Token ?? content.Rotation.Handled, Count = content.Rotation.Count + 1, LastRotationTime = now },
            };

    /// <summary>
    /// The content of a Secret that is missing: new keys, with the rotation state and (when
    /// validating) the connection in effect carried over from status, so a deleted Secret
    /// neither rotates nor forgets its count. The current annotation counts as handled.
    /// </summary>
    public static KeySecret FirstContent(ReconcileInput input, RotationToken token)
    {
        var status = input.Resource.Status;
        var spec = input.Resource.Spec;
        return new KeySecret(
            NewKeyPair(input),
            NewKeyPair(input),
            spec.Validate ? status?.Connection : spec.ToParameters(),
            null,
            new RotationStatus
            {
                Handled = RotationToken.Max(status?.Rotation?.Handled, token.Canonical),
                Count = status?.Rotation?.Count ?? 0,
                LastRotationTime = status?.Rotation?.LastRotationTime,
            });
    }

    /// <summary>
    /// An adopted Secret's content. Keys a user brings carry no handled value: the current
    /// annotation then counts as handled, as for a new resource, so adopting never rotates.
    /// </summary>
    public static KeySecret Adopted(KeySecret content, RotationToken token) =>
        content.Rotation.Handled is null
            ? content with { Rotation = content.Rotation with { Handled = token.Canonical } }
            : content;

    private static KeyPair NewKeyPair(ReconcileInput input)
    {
        var pair = input.KeyPairs.Create(input.Resource.KeyComment);
        return pair with { PublicKey = pair.PublicKey.Trim() };
    }
}
