using k8s;
using k8s.Models;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Testing;

/// <summary>A user's reads and writes of SshPortForwards and of the Deployments and Services the operator runs for them, and the Deployment controller's status writes.</summary>
public sealed class PortForwardClient(IKubernetes client, string ns)
{
    public static PortForwardSpec Spec(string connection, int replicas = 1) => new()
    {
        ConnectionName = connection,
        Replicas = replicas,
        Forwards = [new ForwardedPort { Name = "postgres", Port = 5432, TargetHost = "db.internal", TargetPort = 5432 }],
    };

    public Task<SshPortForward> CreateAsync(string name, PortForwardSpec spec) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<SshPortForward>(
            new SshPortForward { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = spec },
            ResourceNames.Group, ResourceNames.Version, ns, PortForwardNames.Plural);

    public Task<SshPortForward> GetAsync(string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<SshPortForward>(ResourceNames.Group, ResourceNames.Version, ns, PortForwardNames.Plural, name);

    public Task<SshPortForward> PatchAsync(string name, object patch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<SshPortForward>(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), ResourceNames.Group, ResourceNames.Version, ns, PortForwardNames.Plural, name);

    public Task DeleteAsync(string name) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(ResourceNames.Group, ResourceNames.Version, ns, PortForwardNames.Plural, name);

    public Task<SshPortForward> WaitAsync(string name, Func<SshPortForward, bool> done, string what) => Eventually.Until(() => GetAsync(name), done, what);

    /// <summary>Waits for the Ready condition of the current generation with <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public Task<SshPortForward> WaitForReadyAsync(string name, string status, string reason) =>
        WaitAsync(
            name,
            forward => Condition(forward, "Ready") is { } ready && ready.Status == status && ready.Reason == reason
                && forward.Status!.ObservedGeneration == forward.Metadata.Generation,
            $"{name} Ready {status} {reason}");

    public Task<V1Deployment?> DeploymentAsync(string name) =>
        ApiReads.OrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(PortForwardNames.DeploymentName(name), ns));

    public Task<V1Service?> ServiceAsync(string name) => ApiReads.OrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns));

    /// <summary>What the Deployment controller publishes once <paramref name="ready"/> of its pods are ready (the emulator runs no Deployment controller).</summary>
    public async Task<V1Deployment> ReportDeploymentAsync(string name, int ready, bool deadlineExceeded = false)
    {
        var deployment = (await DeploymentAsync(name))!;
        var wanted = deployment.Spec.Replicas ?? 1;
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = wanted,
            UpdatedReplicas = wanted,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            Conditions =
            [
                new V1DeploymentCondition
                {
                    Type = "Progressing",
                    Status = deadlineExceeded ? "False" : "True",
                    Reason = deadlineExceeded ? "ProgressDeadlineExceeded" : "NewReplicaSetAvailable",
                },
            ],
        };
        return await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, deployment.Metadata.Name, ns);
    }

    public static Condition? Condition(SshPortForward forward, string type) => forward.Status?.Conditions.FirstOrDefault(condition => condition.Type == type);
}
