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

    /// <summary>
    /// The rotation of a Secret known only by its verdict (<paramref name="existing"/>, read as
    /// <paramref name="stored"/>) as a <see cref="SecretWriteKind.Promote"/> patch, when
    /// <paramref name="content"/> is exactly that rotation: key 2 promoted (its private key, which
    /// the verdict does not hold, moves on the API server), a new key 2, new rotation
    /// annotations, and nothing else changed. Null otherwise: no rotation, or one that changes
    /// more than a patch of these entries can, which needs the whole Secret.
    /// </summary>
    public static SecretWrite? Promotion(ConnectionResource resource, SecretSnapshot existing, KeySecret stored, KeySecret content)
    {
        if (existing.Verdict is not { Canonical: true }
            || content.Rotation.Count != stored.Rotation.Count + 1
            || content.Key1 != stored.Key2
            || content.Key1.PrivateKey != KeySecretVerdict.UnknownPrivateKey
            || content.Connection != stored.Connection
            || content.KnownHosts != stored.KnownHosts)
        {
            return null;
        }

        var whole = KeySecretCodec.Build(resource.Namespace, resource.Name, resource.Uid, content, existing, resource.Spec.SecretPolicy);
        if (!whole.HoldsMetadataOf(existing))
        {
            return null;
        }

        string[] patched = [KeySecretLayout.PublicKey1, KeySecretLayout.PrivateKey2, KeySecretLayout.PublicKey2];
        var set = whole with
        {
            Data = patched.ToDictionary(key => key, key => whole.Data[key]),
            Annotations = KeySecretLayout.OwnedAnnotations.Where(whole.Annotations.ContainsKey).ToDictionary(key => key, key => whole.Annotations[key]),
        };
        return new SecretWrite(SecretWriteKind.Promote, set, existing.ResourceVersion, KeySecretVerdict.OfWritten(content), 1);
    }
}
