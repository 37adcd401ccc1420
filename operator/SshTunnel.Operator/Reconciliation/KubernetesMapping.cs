using System.Buffers;
using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// The JSON patch of a <see cref="SecretWriteKind.Promote"/> write: its resourceVersion first,
    /// which the API server takes as the precondition (409 when the Secret changed since), then
    /// the move of private key 2 to private key 1 and the entries the write sets.
    /// </summary>
    public static V1Patch ToPromotionPatch(SecretWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write is not { Kind: SecretWriteKind.Promote, ExpectedResourceVersion: { } resourceVersion })
        {
            throw new ArgumentException("Only a promotion, with its resourceVersion, is written as a patch.", nameof(write));
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            Operation(json, "replace", "/metadata/resourceVersion", resourceVersion);
            json.WriteStartObject();
            json.WriteString("op", "move");
            json.WriteString("from", DataPath(KeySecretLayout.PrivateKey2));
            json.WriteString("path", DataPath(KeySecretLayout.PrivateKey1));
            json.WriteEndObject();
            foreach (var (key, value) in write.Contents.Data)
            {
                Operation(json, "add", DataPath(key), Convert.ToBase64String(value));
            }

            foreach (var (key, value) in write.Contents.Annotations)
            {
                Operation(json, "add", "/metadata/annotations/" + PointerToken(key), value);
            }

            json.WriteEndArray();
        }

        return new V1Patch(Encoding.UTF8.GetString(buffer.WrittenSpan), V1Patch.PatchType.JsonPatch);
    }

    private static void Operation(Utf8JsonWriter json, string op, string path, string value)
    {
        json.WriteStartObject();
        json.WriteString("op", op);
        json.WriteString("path", path);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static string DataPath(string key) => "/data/" + PointerToken(key);

    /// <summary>A key as one RFC 6901 reference token: <c>~</c> and <c>/</c> escaped.</summary>
    private static string PointerToken(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
