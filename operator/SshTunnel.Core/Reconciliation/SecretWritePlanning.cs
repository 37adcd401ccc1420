using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The write planning rule: create a missing Secret, replace one whose contents differ (with its
/// resourceVersion as precondition), and write nothing when the Secret already says it all.
/// </summary>
internal static class SecretWritePlanning
{
    /// <param name="resource">The connection that owns the Secret.</param>
    /// <param name="existing">The Secret as read, or null when there is none.</param>
    /// <param name="content">What the Secret must hold.</param>
    /// <param name="storedRotations">The rotation count the existing Secret holds, so the write says how many rotations it carries out.</param>
    public static SecretWrite? Plan(ConnectionResource resource, SecretSnapshot? existing, KeySecret content, long storedRotations)
    {
        var contents = KeySecretCodec.Build(resource.Namespace, resource.Name, resource.Uid, content, existing, resource.Spec.SecretPolicy);
        return existing switch
        {
            null => new SecretWrite(SecretWriteKind.Create, contents, null, KeySecretVerdict.OfWritten(content)),
            _ when contents.IsSatisfiedBy(existing) => null,
            _ => new SecretWrite(SecretWriteKind.Replace, contents, existing.ResourceVersion, KeySecretVerdict.OfWritten(content), content.Rotation.Count - storedRotations),
        };
    }

    /// <summary>
    /// Whether a Secret known only by its verdict (<paramref name="existing"/>, read as
    /// <paramref name="stored"/>) needs no write for <paramref name="content"/>: the content is
    /// unchanged, the verdict found its data and annotations canonical, and its type, owner and
    /// labels are the ones <see cref="Plan"/> would write.
    /// </summary>
    public static bool Unchanged(ConnectionResource resource, SecretSnapshot existing, KeySecret stored, KeySecret content) =>
        existing.Verdict is { Canonical: true }
        && content == stored
        && KeySecretCodec.Build(resource.Namespace, resource.Name, resource.Uid, content, existing, resource.Spec.SecretPolicy).HoldsMetadataOf(existing);
}
