using k8s.Models;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Api;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>Maps KubernetesClient objects to Core's views and Core's Secret contents back to a V1Secret.</summary>
public static class KubernetesMapping
{
    private static readonly IReadOnlyDictionary<string, string> NoStrings = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, byte[]> NoBytes = new Dictionary<string, byte[]>();

    public static ConnectionResource ToResource(SshTunnelConnection connection) => new(
        connection.Metadata.NamespaceProperty ?? "",
        connection.Metadata.Name,
        connection.Metadata.Uid ?? "",
        connection.Metadata.Generation ?? 0,
        connection.Metadata.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : NoStrings,
        connection.Spec,
        connection.Status);

    /// <summary>The Secret as Core reads it; a cached <see cref="KeySecretView"/> carries its verdict instead of data.</summary>
    public static SecretSnapshot ToSnapshot(V1Secret secret) => new(
        secret.Metadata.ResourceVersion ?? "",
        secret.Type ?? "",
        secret.Metadata.Labels is { } labels ? new Dictionary<string, string>(labels) : NoStrings,
        secret.Metadata.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : NoStrings,
        secret.Data is { } data ? new Dictionary<string, byte[]>(data) : NoBytes,
        secret.Metadata.OwnerReferences?.FirstOrDefault(owner => owner.Controller == true)?.Uid)
    {
        CreationTimestamp = secret.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
        Verdict = secret is KeySecretView view ? view.Verdict : null,
    };

    public static V1Secret ToSecret(SecretContents contents, string? resourceVersion) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = contents.Name,
            NamespaceProperty = contents.Namespace,
            ResourceVersion = resourceVersion,
            Labels = contents.Labels.ToDictionary(),
            Annotations = contents.Annotations.ToDictionary(),
            OwnerReferences = contents.Owner is { } owner
                ?
                [
                    new V1OwnerReference
                    {
                        ApiVersion = owner.ApiVersion,
                        Kind = owner.Kind,
                        Name = owner.Name,
                        Uid = owner.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ]
                : null,
        },
        Type = contents.Type,
        Data = contents.Data.ToDictionary(),
    };
}
