using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.PortForwards;

/// <summary>
/// The SshPortForward controller in-process against the emulator over HTTP. The emulator runs
/// no Deployment controller: the tests publish the Deployment's status as the real one would.
/// </summary>
public sealed class PortForwardControllerTests : IAsyncLifetime
{
    private const string Image = "registry.example.com/ssh-tunnel-operator:9.9.9";
    private OperatorHarness harness = null!;
    private PortForwardClient forwards = null!;

    private EmulatorControl Control => harness.Cluster.Control;

    public async Task InitializeAsync()
    {
        harness = await OperatorHarness.StartAsync(new OperatorOptions { Workers = 2, ForwarderImage = Image });
        forwards = new PortForwardClient(harness.Client, Namespace);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task CreateConnectionAsync(string name)
    {
        await harness.CreateAsync(name, Spec());
        await harness.WaitAsync(name, HasKeys, $"{name} with keys");
    }

    /// <summary>Waits until the operator is idle with the latest of the port forward and its Deployment in its caches, then counts writes from zero.</summary>
    private async Task SettleAsync(string resourceVersion)
    {
        await harness.WaitForIdleAsync(resourceVersion);
        Control.ResetCounters();
    }

    [Fact]
    public async Task A_port_forward_gets_an_owned_hardened_Deployment_and_Service_and_is_Ready_from_the_Deployment_s_status()
    {
        await CreateConnectionAsync("bastion");
        var created = await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion", replicas: 2));

        var pending = await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);
        Assert.Equal(("Reconciling", "True"), (pending.Status!.Conditions[1].Type, pending.Status.Conditions[1].Status));
        var deployment = (await forwards.DeploymentAsync("warehouse-db"))!;
        var service = (await forwards.ServiceAsync("warehouse-db"))!;
        foreach (var owned in new IKubernetesObject<V1ObjectMeta>[] { deployment, service })
        {
            var owner = Assert.Single(owned.Metadata.OwnerReferences);
            Assert.Equal(("sshtunnels.io/v1alpha1", "SshPortForward", "warehouse-db", created.Metadata.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        }

        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal(Image, container.Image);
        Assert.Equal(["/app/forwarder/SshTunnel.Forwarder"], container.Command);
        Assert.Equal(
            ["--secret-dir", "/etc/sshtunnel", "--forward", "postgres=20001:db.internal:5432", "--health-port", "20000"],
            container.Args);
        var keys = pod.Volumes.Single(volume => volume.Name == "keys");
        Assert.Equal((KeySecretLayout.SecretName("bastion"), 256), (keys.Secret.SecretName, keys.Secret.DefaultMode));
        var mount = container.VolumeMounts.Single(volumeMount => volumeMount.Name == "keys");
        Assert.Equal(("/etc/sshtunnel", true), (mount.MountPath, mount.ReadOnlyProperty));
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal((true, "RuntimeDefault"), (pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.SeccompProfile.Type));
        var security = container.SecurityContext;
        Assert.Equal((true, false, true, "ALL", "RuntimeDefault"),
            (security.RunAsNonRoot, security.AllowPrivilegeEscalation, security.ReadOnlyRootFilesystem, Assert.Single(security.Capabilities.Drop), security.SeccompProfile.Type));
        Assert.Equal(("/readyz", "/healthz"), (container.ReadinessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Path));
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(("ClusterIP", "postgres", 5432, "postgres"), (service.Spec.Type, port.Name, port.Port, port.TargetPort.Value));
        Assert.Equal(deployment.Spec.Selector.MatchLabels, service.Spec.Selector);

        await forwards.ReportDeploymentAsync("warehouse-db", ready: 1);
        var partly = await forwards.WaitForReadyAsync("warehouse-db", "True", PortForwardReasons.Available);
        Assert.Equal((2, 1), (partly.Status!.Replicas, partly.Status.ReadyReplicas));
        Assert.Equal(PortForwardReasons.RollingOut, PortForwardClient.Condition(partly, "Reconciling")!.Reason);
        Assert.Equal("app.kubernetes.io/name=ssh-tunnel-forwarder,sshtunnels.io/port-forward=warehouse-db", partly.Status.Selector);

        await forwards.ReportDeploymentAsync("warehouse-db", ready: 2);
        var ready = await forwards.WaitAsync("warehouse-db", forward => forward.Status!.ReadyReplicas == 2, "two forwarders ready");
        Assert.Equal(["Ready"], ready.Status!.Conditions.Select(condition => condition.Type));
        foreach (var reason in new[] { PortForwardReasons.DeploymentCreated, PortForwardReasons.ServiceCreated, PortForwardReasons.Available })
        {
            await harness.WaitForEventAsync("warehouse-db", reason);
        }
    }

    [Fact]
    public async Task A_converged_port_forward_costs_zero_writes_whatever_touches_it()
    {
        await CreateConnectionAsync("bastion");
        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));
        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);
        var reported = await forwards.ReportDeploymentAsync("warehouse-db", ready: 1);
        await forwards.WaitForReadyAsync("warehouse-db", "True", PortForwardReasons.Available);
        await SettleAsync(reported.Metadata.ResourceVersion);

        var annotated = await forwards.PatchAsync("warehouse-db", new { metadata = new { annotations = new Dictionary<string, string> { ["team"] = "data" } } });
        await harness.WaitForIdleAsync(annotated.Metadata.ResourceVersion);
        var deployment = (await forwards.DeploymentAsync("warehouse-db"))!;
        deployment.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "1" };
        var touched = await harness.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, deployment.Metadata.Name, Namespace);
        await harness.WaitForIdleAsync(touched.Metadata.ResourceVersion);
        var connection = await harness.AnnotateRevalidateAsync("bastion", "1");
        await harness.WaitForIdleAsync(connection.Metadata.ResourceVersion);

        // The test's own edit of the Deployment is a write: the operator's would have moved its resourceVersion on.
        Assert.Equal(touched.Metadata.ResourceVersion, (await forwards.DeploymentAsync("warehouse-db"))!.Metadata.ResourceVersion);
        Assert.Equal(1, Control.WriteCount("deployments"));
        Assert.Equal(0, Control.WriteCount("services"));
        Assert.Equal(0, Control.WriteCount("sshportforwards/status"));
    }

    [Fact]
    public async Task A_spec_change_updates_the_Deployment_and_a_user_s_edit_of_an_owned_field_is_put_back()
    {
        await CreateConnectionAsync("bastion");
        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));
        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);

        await forwards.PatchAsync("warehouse-db", new { spec = new { replicas = 3 } });
        await Eventually.Until(async () => (await forwards.DeploymentAsync("warehouse-db"))!.Spec.Replicas == 3, "the Deployment scaled to 3");
        await harness.WaitForEventAsync("warehouse-db", PortForwardReasons.DeploymentUpdated);

        var deployment = (await forwards.DeploymentAsync("warehouse-db"))!;
        deployment.Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = false;
        await harness.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, deployment.Metadata.Name, Namespace);
        await Eventually.Until(
            async () => (await forwards.DeploymentAsync("warehouse-db"))!.Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem == true,
            "the read-only root filesystem put back");
    }

    [Fact]
    public async Task Deleting_the_port_forward_deletes_its_Deployment_and_Service()
    {
        await CreateConnectionAsync("bastion");
        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));
        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);

        await forwards.DeleteAsync("warehouse-db");

        await Eventually.Until(
            async () => await forwards.DeploymentAsync("warehouse-db") is null && await forwards.ServiceAsync("warehouse-db") is null,
            "the Deployment and the Service collected with their owner");
    }

    [Fact]
    public async Task A_missing_connection_is_reported_and_the_forwarders_start_once_it_exists()
    {
        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("later"));

        var missing = await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ConnectionNotFound);
        Assert.Equal(("True", PortForwardReasons.ConnectionNotFound), (PortForwardClient.Condition(missing, "Stalled")!.Status, PortForwardClient.Condition(missing, "Stalled")!.Reason));
        Assert.Contains("SshTunnelConnection later does not exist", PortForwardClient.Condition(missing, "Ready")!.Message, StringComparison.Ordinal);
        await harness.WaitForEventAsync("warehouse-db", PortForwardReasons.ConnectionNotFound);
        await SettleAsync(missing.Metadata.ResourceVersion);
        Assert.Null(await forwards.DeploymentAsync("warehouse-db"));
        Assert.Equal(0, Control.WriteCount("sshportforwards/status"));

        await CreateConnectionAsync("later");

        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);
        Assert.NotNull(await forwards.DeploymentAsync("warehouse-db"));
    }

    [Fact]
    public async Task A_foreign_Deployment_of_the_name_is_reported_never_overwritten_and_replaced_once_it_is_gone()
    {
        await CreateConnectionAsync("bastion");
        var foreign = await harness.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = PortForwardNames.DeploymentName("warehouse-db") },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 5,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "theirs" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "theirs" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "theirs", Image = "nginx" }] },
                    },
                },
            },
            Namespace);

        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));

        var conflict = await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.DeploymentConflict);
        Assert.Equal(PortForwardReasons.DeploymentConflict, PortForwardClient.Condition(conflict, "Stalled")!.Reason);
        await harness.WaitForEventAsync("warehouse-db", PortForwardReasons.DeploymentConflict);
        var untouched = (await forwards.DeploymentAsync("warehouse-db"))!;
        Assert.Equal(foreign.Metadata.ResourceVersion, untouched.Metadata.ResourceVersion);
        Assert.NotNull(await forwards.ServiceAsync("warehouse-db"));

        await harness.Client.AppsV1.DeleteNamespacedDeploymentAsync(foreign.Metadata.Name, Namespace);

        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);
        Assert.Equal("SshPortForward", Assert.Single((await forwards.DeploymentAsync("warehouse-db"))!.Metadata.OwnerReferences).Kind);
    }

    [Fact]
    public async Task A_rollout_past_its_deadline_is_Stalled()
    {
        await CreateConnectionAsync("bastion");
        await forwards.CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));
        await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ForwardersNotReady);

        await forwards.ReportDeploymentAsync("warehouse-db", ready: 0, deadlineExceeded: true);

        var stalled = await forwards.WaitForReadyAsync("warehouse-db", "False", PortForwardReasons.ProgressDeadlineExceeded);
        Assert.Equal("True", PortForwardClient.Condition(stalled, "Stalled")!.Status);
    }
}
