using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Kube.Controller.Sources;
using SshTunnel.Api;

namespace SshTunnel.Operator.Serialization;

/// <summary>
/// Compiled JSON metadata for every type the operator reads or writes through KubernetesClient.
/// KubernetesClient's own context is consulted only for types it lacks: it finds a type by
/// comparing it with each of its ~1,100 model types in turn, which loads every one of them into
/// the process, and the operator's own resources (not in it) fell through to reflection, which
/// emits code for each property at run time.
/// </summary>
[JsonSerializable(typeof(SshTunnelConnection))]
[JsonSerializable(typeof(ResourceList<SshTunnelConnection>))]
[JsonSerializable(typeof(Watcher<SshTunnelConnection>.WatchEvent))]
[JsonSerializable(typeof(SshPortForward))]
[JsonSerializable(typeof(ResourceList<SshPortForward>))]
[JsonSerializable(typeof(Watcher<SshPortForward>.WatchEvent))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1SecretList))]
[JsonSerializable(typeof(Watcher<V1Secret>.WatchEvent))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1DeploymentList))]
[JsonSerializable(typeof(Watcher<V1Deployment>.WatchEvent))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1ServiceList))]
[JsonSerializable(typeof(Watcher<V1Service>.WatchEvent))]
[JsonSerializable(typeof(KubernetesObject))]
[JsonSerializable(typeof(Watcher<KubernetesObject>.WatchEvent))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(V1Status))]
internal sealed partial class OperatorJsonContext : JsonSerializerContext;
