using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using SshTunnel.Benchmarks.Cluster;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Api;

namespace SshTunnel.Benchmarks.Floor;

/// <summary>
/// The floor: a bare KubernetesClient program, as concurrent as the operator's workers, making the
/// operator's writes against the same emulator with no decisions in between. Per connection: one
/// Secret create and one status write to provision; one Secret replace and one status write to rotate.
/// End to end, the same preceded by the user's write (create; annotation bump, then a read of the
/// bumped resource, as the operator's watch would deliver it).
/// </summary>
internal sealed class FloorBenchmark(IKubernetes client, ConnectionWriter creator, int concurrency)
{
    public async Task<FloorResult> RunAsync(int count, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };

        // The operator's writes alone, on resources created beforehand.
        var connections = new SshTunnelConnection[count];
        await creator.ForEachAsync(count, async (clientIndex, index) =>
            connections[index] = await creator.CreateAsync(clientIndex, "f-" + ConnectionWriter.NameOf(index), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var secrets = new V1Secret[count];
        var provision = await TimeAsync(count, parallel, async (index, token) =>
        {
            secrets[index] = await CreateSecretAsync(connections[index], token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(connections[index], secrets[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var rotate = await TimeAsync(count, parallel, async (index, token) =>
        {
            secrets[index] = await RotateSecretAsync(connections[index], secrets[index], token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(connections[index], secrets[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // End to end: the user's write, then the operator's, one connection after the other per client.
        var provisionEndToEnd = await TimeAsync(count, parallel, async (index, token) =>
        {
            var connection = await creator.CreateAsync(0, "e-" + ConnectionWriter.NameOf(index), token).ConfigureAwait(false);
            secrets[index] = await CreateSecretAsync(connection, token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(connection, secrets[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var rotateEndToEnd = await TimeAsync(count, parallel, async (index, token) =>
        {
            await creator.BumpAsync(0, connections[index].Metadata.Name, token).ConfigureAwait(false);
            var bumped = await client.CustomObjects.GetNamespacedCustomObjectAsync<SshTunnelConnection>(
                ResourceNames.Group, ResourceNames.Version, creator.Namespace, ResourceNames.Plural, connections[index].Metadata.Name, cancellationToken: token).ConfigureAwait(false);
            secrets[index] = await RotateSecretAsync(bumped, secrets[index], token).ConfigureAwait(false);
            connections[index] = await WriteStatusAsync(bumped, secrets[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new FloorResult(count, concurrency, provision, rotate, provisionEndToEnd, rotateEndToEnd);
    }

    /// <summary>The wall time of one phase and the CPU-s this process (the bare client and the emulator) used in it.</summary>
    private static async Task<FloorPhase> TimeAsync(int count, ParallelOptions parallel, Func<int, CancellationToken, ValueTask> each)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, each).ConfigureAwait(false);
        return new FloorPhase(Stopwatch.GetElapsedTime(started), (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private Task<V1Secret> CreateSecretAsync(SshTunnelConnection connection, CancellationToken cancellationToken) =>
        client.CoreV1.CreateNamespacedSecretAsync(NewSecret(connection, rotations: 0), creator.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: cancellationToken);

    private Task<V1Secret> RotateSecretAsync(SshTunnelConnection connection, V1Secret current, CancellationToken cancellationToken)
    {
        var rotated = NewSecret(connection, rotations: 1);
        rotated.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
        rotated.Data[KeySecretLayout.PublicKey1] = current.Data[KeySecretLayout.PublicKey2];
        rotated.Data[KeySecretLayout.PrivateKey1] = current.Data[KeySecretLayout.PrivateKey2];
        return client.CoreV1.ReplaceNamespacedSecretAsync(
            rotated, rotated.Metadata.Name, creator.Namespace, fieldManager: ResourceNames.Manager, cancellationToken: cancellationToken);
    }

    private static V1Secret NewSecret(SshTunnelConnection connection, int rotations)
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

    private async Task<SshTunnelConnection> WriteStatusAsync(SshTunnelConnection connection, V1Secret secret, CancellationToken cancellationToken)
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
        var body = new SshTunnelConnection { Metadata = connection.Metadata, Spec = connection.Spec, Status = status };
        using var response = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<SshTunnelConnection>(
            body, ResourceNames.Group, ResourceNames.Version, connection.Metadata.NamespaceProperty, ResourceNames.Plural, connection.Metadata.Name,
            fieldManager: ResourceNames.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }
}
