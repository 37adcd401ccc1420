using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using Kube.Controller.Sources;
using SshTunnel.Api;
using SshTunnel.Operator.Serialization;

namespace SshTunnel.Operator.Tests.Serialization;

/// <summary>
/// The compiled metadata reads and writes exactly the JSON that KubernetesClient's reflection
/// fallback did, for every field of both resources and of the objects the operator writes.
/// </summary>
public sealed class OperatorJsonContextTests
{
    private const string Connection = """
        {
          "apiVersion": "sshtunnels.io/v1alpha1",
          "kind": "SshTunnelConnection",
          "metadata": {
            "name": "db", "namespace": "team", "uid": "3d9c", "resourceVersion": "42", "generation": 3,
            "creationTimestamp": "2026-12-01T10:00:00Z",
            "annotations": { "sshtunnels.io/rotate-keys": "7" }, "labels": { "app": "db" },
            "finalizers": ["sshtunnels.io/keys"]
          },
          "spec": {
            "host": "bastion.example.com", "port": 2222, "user": "materialize", "validate": true,
            "hostKey": "SHA256:abc", "secretPolicy": "Retain",
            "rotation": { "guard": "None", "interval": "720h" }
          },
          "status": {
            "observedGeneration": 3,
            "publicKey1": "ssh-ed25519 AAAA1", "publicKey2": "ssh-ed25519 AAAA2",
            "publicKey1Fingerprint": "SHA256:one", "publicKey2Fingerprint": "SHA256:two",
            "rotation": { "handled": "7", "count": 2, "lastRotationTime": "2026-12-01T10:00:00Z", "nextRotationTime": "2027-01-01T10:00:00.123456Z" },
            "connection": { "host": "bastion.example.com", "port": 2222, "user": "materialize" },
            "hostKeyFingerprint": "SHA256:host",
            "lastValidationTime": "2026-12-01T10:00:01Z", "nextValidationTime": "2026-12-01T10:10:01Z",
            "revalidation": { "handled": "1" },
            "conditions": [
              { "type": "Ready", "status": "True", "observedGeneration": 3, "lastTransitionTime": "2026-12-01T10:00:01Z", "reason": "Validated", "message": "Logged in" }
            ]
          }
        }
        """;

    private const string PortForward = """
        {
          "apiVersion": "sshtunnels.io/v1alpha1",
          "kind": "SshPortForward",
          "metadata": { "name": "db-forward", "namespace": "team", "resourceVersion": "9", "generation": 2 },
          "spec": {
            "connectionName": "db", "replicas": 2,
            "forwards": [ { "name": "postgres", "port": 5432, "targetHost": "db.internal", "targetPort": 5432 } ],
            "resources": { "limits": { "memory": "64Mi" }, "requests": { "cpu": "10m", "memory": "32Mi" } },
            "nodeSelector": { "kubernetes.io/os": "linux" },
            "tolerations": [ { "key": "dedicated", "operator": "Equal", "value": "tunnels", "effect": "NoExecute", "tolerationSeconds": 30 } ]
          },
          "status": {
            "observedGeneration": 2, "replicas": 2, "readyReplicas": 1, "selector": "app=db-forward",
            "localAddress": "db-forward.team.svc:5432",
            "conditions": [ { "type": "Available", "status": "False", "observedGeneration": 2, "lastTransitionTime": "2026-12-01T10:00:01Z", "reason": "Progressing", "message": "" } ]
          }
        }
        """;

    /// <summary>KubernetesClient's settings with reflection: what read and wrote these types before the compiled context.</summary>
    private static readonly JsonSerializerOptions Reflection = ClientOptions(new DefaultJsonTypeInfoResolver());

    private static readonly JsonSerializerOptions Compiled = ClientOptions(OperatorJsonContext.Default);

    private static JsonSerializerOptions ClientOptions(IJsonTypeInfoResolver resolver)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new KubernetesJson.Iso8601TimeSpanConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.Converters.Add(new V1Status.V1StatusObjectViewConverter());
        return options;
    }

    [Fact]
    public void A_connection_reads_and_writes_as_with_reflection() =>
        AssertSameRoundTrip<SshTunnelConnection>(Connection);

    [Fact]
    public void A_port_forward_reads_and_writes_as_with_reflection() =>
        AssertSameRoundTrip<SshPortForward>(PortForward);

    [Fact]
    public void A_list_page_and_a_watch_event_read_as_with_reflection()
    {
        var page = $$"""{ "apiVersion": "sshtunnels.io/v1alpha1", "kind": "SshTunnelConnectionList", "metadata": { "resourceVersion": "50", "continue": "next" }, "items": [{{Connection}}] }""";
        AssertSameRoundTrip<ResourceList<SshTunnelConnection>>(page);
        // Watch events are only read, and their type is written back in the enum's own spelling.
        AssertSameRead<Watcher<SshTunnelConnection>.WatchEvent>($$"""{ "type": "MODIFIED", "object": {{Connection}} }""");
        AssertSameRead<Watcher<SshPortForward>.WatchEvent>($$"""{ "type": "BOOKMARK", "object": {{PortForward}} }""");
    }

    [Fact]
    public void The_objects_the_operator_writes_are_compiled_not_reflected()
    {
        foreach (var type in new[]
        {
            typeof(SshTunnelConnection), typeof(ResourceList<SshTunnelConnection>), typeof(Watcher<SshTunnelConnection>.WatchEvent),
            typeof(SshPortForward), typeof(ResourceList<SshPortForward>), typeof(Watcher<SshPortForward>.WatchEvent),
            typeof(V1Secret), typeof(V1SecretList), typeof(Watcher<V1Secret>.WatchEvent),
            typeof(V1Deployment), typeof(V1DeploymentList), typeof(Watcher<V1Deployment>.WatchEvent),
            typeof(V1Service), typeof(V1ServiceList), typeof(Watcher<V1Service>.WatchEvent),
            typeof(Corev1Event), typeof(V1Lease), typeof(V1Status),
        })
        {
            Assert.True(OperatorJsonContext.Default.GetTypeInfo(type) is not null, type.Name);
        }
    }

    [Fact]
    public void Installing_twice_in_one_process_gives_the_same_answer()
    {
        var first = OperatorJson.Install();

        Assert.Equal(first, OperatorJson.Install());
        var connection = KubernetesJson.Deserialize<SshTunnelConnection>(Connection);
        Assert.Equal("SHA256:two", connection.Status?.PublicKey2Fingerprint);
    }

    /// <summary>Both read the same object, and write it back as it came.</summary>
    private static void AssertSameRoundTrip<T>(string json) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(AssertSameRead<T>(json))));

    /// <summary>Both read the same object and write the same JSON for it; returns that JSON.</summary>
    private static string AssertSameRead<T>(string json)
    {
        var reflected = JsonSerializer.Deserialize<T>(json, Reflection)!;
        var compiled = JsonSerializer.Deserialize<T>(json, Compiled)!;

        var written = JsonSerializer.Serialize(compiled, Compiled);
        Assert.Equal(JsonSerializer.Serialize(reflected, Reflection), written);
        return written;
    }
}
