using k8s.Models;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using Kube.Controller;
using Kube.Controller.Caching;
using SshTunnel.Api;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// Shrinks the objects the informers keep, without dropping anything a reconcile or a write
/// reads from them (a key Secret's data is summed up in a verdict, and read from the API server
/// when a decision needs it): strings that repeat across objects (namespaces, kinds, keys, condition texts) are
/// shared through one <see cref="StringPool"/>, strings that repeat inside one object are
/// shared with each other, and dictionaries are copied at their exact size. With 10,000
/// connections the caches are most of the operator's memory.
/// </summary>
public sealed class CacheCompaction
{
    /// <summary>Enough for every repeated string of a large cluster; names and uids are never pooled.</summary>
    private const int PoolCapacity = 4096;

    private readonly StringPool pool = new(PoolCapacity);

    /// <summary>The checks of the key pairs the Secret views hold unconfirmed.</summary>
    public PendingPairChecks PairChecks { get; } = new();

    /// <summary>
    /// The view of a key Secret the cache keeps: what maps it to its connection (namespace, name,
    /// labels, owner references), what the key-age metric and the idle signal read (the
    /// last-rotation-time annotation, creationTimestamp, resourceVersion), its type, and the
    /// <see cref="KeySecretVerdict"/> on its data, but no data and no other annotation: the keys
    /// stay out of the operator's memory between reconciles, a decision that writes nothing
    /// decides from the verdict, and one that would write reads the whole Secret by name. A view
    /// is returned as it is: it is already compact. The verdict derives no public key: pairs this
    /// process has not checked yet are left to <see cref="PairChecks"/>.
    /// </summary>
    public KeySecretView Secret(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret as KeySecretView ?? Judged(secret, KubernetesMapping.ToSnapshot(secret));
    }

    /// <summary>
    /// The view of a key Secret the operator just wrote: when the API server's answer holds
    /// exactly the data and annotations of <paramref name="write"/> (for a promotion, the
    /// entries its patch set, applied atomically over the version its verdict was made on), its verdict is the one Core
    /// planned (<see cref="SecretWrite.Verdict"/>), which spares parsing both key pairs again;
    /// otherwise, as for any Secret, the verdict on what the answer holds.
    /// </summary>
    public KeySecretView Written(V1Secret written, SecretWrite write)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(write);
        var snapshot = KubernetesMapping.ToSnapshot(written);
        if (write.Kind == SecretWriteKind.Promote ? write.Contents.IsSetIn(snapshot) : write.Contents.HoldsDataAndAnnotationsOf(snapshot))
        {
            PairChecks.Forget(ObjectKey.Of(written));
            return View(written, write.Verdict);
        }

        return Judged(written, snapshot);
    }

    /// <summary>The view of <paramref name="secret"/> with the verdict on its data (<paramref name="snapshot"/>); its unchecked pairs go to <see cref="PairChecks"/>.</summary>
    private KeySecretView Judged(V1Secret secret, SecretSnapshot snapshot)
    {
        var verdict = KeySecretVerdict.Of(snapshot, out var pending);
        var key = ObjectKey.Of(secret);
        if (pending is null)
        {
            PairChecks.Forget(key);
        }
        else
        {
            PairChecks.Defer(key, secret.Metadata.ResourceVersion, pending);
        }

        return View(secret, verdict);
    }

    private KeySecretView View(V1Secret secret, KeySecretVerdict verdict)
    {
        var metadata = secret.Metadata;
        var view = new V1ObjectMeta
        {
            Name = metadata.Name,
            NamespaceProperty = pool.ShareOrNull(metadata.NamespaceProperty),
            ResourceVersion = metadata.ResourceVersion,
            CreationTimestamp = metadata.CreationTimestamp,
            DeletionTimestamp = metadata.DeletionTimestamp,
            Annotations = metadata.Annotations?.TryGetValue(KeySecretLayout.LastRotationTimeAnnotation, out var rotated) == true
                ? new Dictionary<string, string>(1, StringComparer.Ordinal) { [KeySecretLayout.LastRotationTimeAnnotation] = rotated }
                : null,
            OwnerReferences = metadata.OwnerReferences?.Select(owner => new V1OwnerReference
            {
                ApiVersion = pool.Share(owner.ApiVersion),
                Kind = pool.Share(owner.Kind),
                Name = owner.Name,
                Uid = owner.Uid,
                Controller = owner.Controller,
            }).ToArray(),
        };
        if (metadata.Labels is { } labels)
        {
            var copy = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
            foreach (var (key, value) in labels)
            {
                copy[pool.Share(key)] = key == KeySecretLayout.ConnectionLabel ? OwnerNameOr(view, value) : pool.Share(value);
            }

            view.Labels = copy;
        }

        return new KeySecretView
        {
            ApiVersion = pool.ShareOrNull(secret.ApiVersion),
            Kind = pool.ShareOrNull(secret.Kind),
            Type = pool.ShareOrNull(secret.Type),
            Metadata = view,
            Verdict = verdict,
        };
    }

    public SshTunnelConnection Connection(SshTunnelConnection connection)
    {
        connection.ApiVersion = pool.Share(connection.ApiVersion);
        connection.Kind = pool.Share(connection.Kind);
        var metadata = connection.Metadata;
        metadata.NamespaceProperty = pool.ShareOrNull(metadata.NamespaceProperty);
        metadata.Annotations = pool.Share(metadata.Annotations, shareValues: false);
        metadata.Labels = pool.Share(metadata.Labels, shareValues: false);
        connection.Spec.Host = pool.Share(connection.Spec.Host);
        connection.Spec.User = pool.Share(connection.Spec.User);
        if (connection.Status is { } status)
        {
            connection.Status = status with
            {
                Connection = status.Connection is { } parameters
                    ? parameters with { Host = pool.Share(parameters.Host), User = pool.Share(parameters.User) }
                    : null,
                // An array: a collection expression for IReadOnlyList wraps a List, twice the objects.
                Conditions = status.Conditions.Select(Condition).ToArray(),
            };
        }

        return connection;
    }

    private Condition Condition(Condition condition) => condition with
    {
        Type = pool.Share(condition.Type),
        Status = pool.Share(condition.Status),
        Reason = pool.Share(condition.Reason),
        Message = pool.Share(condition.Message),
    };

    /// <summary>The connection label repeats the owner's name; both then point at one string.</summary>
    private static string OwnerNameOr(V1ObjectMeta metadata, string value) =>
        metadata.OwnerReferences?.FirstOrDefault(owner => owner.Name == value)?.Name ?? value;
}
