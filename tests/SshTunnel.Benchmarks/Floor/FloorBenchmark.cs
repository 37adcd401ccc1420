using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using SshTunnel.Benchmarks.Cluster;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Benchmarks.Floor;

/// <summary>
/// The floor: a bare KubernetesClient program, as concurrent as the operator's workers, making the
/// operator's writes against the same emulator with no decisions in between. Per connection: one
/// Secret create and one status write to provision; one Secret replace and one status write to rotate.
/// </summary>
internal sealed class FloorBenchmark(IKubernetes client, ConnectionWriter creator, int concurrency)
{
    public async Task<FloorResult> RunAsync(int count, CancellationToken cancellationToken)
    {
        var connections = new TunnelConnection[count];
        await creator.ForEachAsync(count, async (clientIndex, index) =>
            connections[index] = await creator.CreateAsync(clientIndex, ConnectionWriter.NameOf(index), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

        var secrets = new V1Secret[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, token) =>
        {
            var connection = connections[index];
            var secret = NewSecret(connection, rotations: 0);
            secrets[index] = await client.CoreV1.CreateNamespacedSecretAsync(secret, creator.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(connection, secrets[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var provision = Stopwatch.GetElapsedTime(started);

        started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, token) =>
        {
            var connection = connections[index];
            var rotated = NewSecret(connection, rotations: 1);
            rotated.Metadata.ResourceVersion = secrets[index].Metadata.ResourceVersion;
            rotated.Data[KeySecretLayout.PublicKey1] = secrets[index].Data[KeySecretLayout.PublicKey2];
            rotated.Data[KeySecretLayout.PrivateKey1] = secrets[index].Data[KeySecretLayout.PrivateKey2];
            var written = await client.CoreV1.ReplaceNamespacedSecretAsync(
                rotated, rotated.Metadata.Name, creator.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(connection, written, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new FloorResult(count, concurrency, provision, Stopwatch.GetElapsedTime(started));
    }

    private static V1Secret NewSecret(TunnelConnection connection, int rotations)
    {
        var name = connection.Metadata.Name;
        var comment = connection.Metadata.NamespaceProperty + "/" + name;
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = KeySecretLayout.SecretType,
            Metadata = new V1ObjectMeta
            {
                Name = KeySecretLayout.SecretName(name),
                NamespaceProperty = connection.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>
                {
                    [KeySecretLayout.ManagedByLabel] = KeySecretLayout.ManagedByValue,
                    [KeySecretLayout.ConnectionLabel] = name,
                },
                Annotations = new Dictionary<string, string>
                {
                    [KeySecretLayout.RotationCountAnnotation] = rotations.ToString(CultureInfo.InvariantCulture),
                },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = ResourceNames.ApiVersion,
                        Kind = ResourceNames.Kind,
                        Name = name,
                        Uid = connection.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Data = new Dictionary<string, byte[]>
            {
                [KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes(FakeKeyMaterial.PrivateKey()),
                [KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes(FakeKeyMaterial.PublicKey(comment)),
                [KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(FakeKeyMaterial.PrivateKey()),
                [KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes(FakeKeyMaterial.PublicKey(comment)),
                [KeySecretLayout.Host] = Encoding.UTF8.GetBytes(connection.Spec.Host),
                [KeySecretLayout.Port] = Encoding.UTF8.GetBytes(connection.Spec.Port.ToString(CultureInfo.InvariantCulture)),
                [KeySecretLayout.User] = Encoding.UTF8.GetBytes(connection.Spec.User),
            },
        };
    }

    private async Task<TunnelConnection> WriteStatusAsync(TunnelConnection connection, V1Secret secret, CancellationToken cancellationToken)
    {
        var status = new ConnectionStatus
        {
            ObservedGeneration = connection.Metadata.Generation ?? 1,
            PublicKey1 = Encoding.UTF8.GetString(secret.Data[KeySecretLayout.PublicKey1]),
            PublicKey2 = Encoding.UTF8.GetString(secret.Data[KeySecretLayout.PublicKey2]),
            PublicKey1Fingerprint = FakeKeyMaterial.Fingerprint(),
            PublicKey2Fingerprint = FakeKeyMaterial.Fingerprint(),
            Rotation = new RotationStatus { Count = long.Parse(secret.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation], CultureInfo.InvariantCulture) },
            Connection = connection.Spec.ToParameters(),
            Conditions =
            [
                new Condition { Type = "Ready", Status = "True", ObservedGeneration = connection.Metadata.Generation ?? 1, LastTransitionTime = TimeProvider.System.GetUtcNow(), Reason = "KeysPublished", Message = "Keys published; validation is off" },
                new Condition { Type = "Validated", Status = "Unknown", ObservedGeneration = connection.Metadata.Generation ?? 1, LastTransitionTime = TimeProvider.System.GetUtcNow(), Reason = "ValidationDisabled", Message = "spec.validate is false" },
            ],
        };
        var body = new TunnelConnection { Metadata = connection.Metadata, Spec = connection.Spec, Status = status };
        using var response = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<TunnelConnection>(
            body, ResourceNames.Group, ResourceNames.Version, connection.Metadata.NamespaceProperty, ResourceNames.Plural, connection.Metadata.Name,
            fieldManager: ResourceNames.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }
}
