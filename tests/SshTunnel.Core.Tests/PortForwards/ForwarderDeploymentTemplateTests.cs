using System.Text.Json.Nodes;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Core.Tests.PortForwards;

public sealed class ForwarderDeploymentTemplateTests
{
    private static readonly PortForwardResource Resource = new("shop", "warehouse-db", "uid-spf", 3, PortForwardWorld.FullSpec(), null);
    private static readonly JsonObject Deployment = ForwarderDeploymentTemplate.Build(Resource, "warehouse-bastion-ssh-keys", PortForwardWorld.Settings);
    private static readonly JsonNode Pod = Deployment["spec"]!["template"]!["spec"]!;
    private static readonly JsonNode Container = Pod["containers"]![0]!;

    [Fact]
    public void Runs_the_forwarder_of_the_operator_s_image_with_its_real_flags()
    {
        Assert.Equal("warehouse-db-forward", Deployment["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(PortForwardWorld.Settings.Image, Container["image"]!.GetValue<string>());
        Assert.Equal("""["/app/forwarder/SshTunnel.Forwarder"]""", Container["command"]!.ToJsonString());
        Assert.Equal(
            """["--secret-dir","/etc/sshtunnel","--forward","postgres=20001:db.internal:5432","--forward","redis=20002:fd00::5:6380","--health-port","20000"]""",
            Container["args"]!.ToJsonString());
        Assert.Equal(2, Deployment["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Mounts_the_connection_s_Secret_read_only_with_mode_0400()
    {
        Assert.Equal(
            """[{"name":"keys","secret":{"secretName":"warehouse-bastion-ssh-keys","defaultMode":256}},{"name":"tmp","emptyDir":{"sizeLimit":"16Mi"}}]""",
            Pod["volumes"]!.ToJsonString());
        Assert.Equal("400", Convert.ToString(ForwarderDeploymentTemplate.SecretMode, 8));
        Assert.Equal(
            """[{"name":"keys","mountPath":"/etc/sshtunnel","readOnly":true},{"name":"tmp","mountPath":"/tmp"}]""",
            Container["volumeMounts"]!.ToJsonString());
    }

    [Fact]
    public void Is_hardened_like_the_operator_s_pod()
    {
        Assert.False(Pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.Equal(
            """{"runAsNonRoot":true,"runAsUser":1654,"runAsGroup":1654,"fsGroup":1654,"seccompProfile":{"type":"RuntimeDefault"}}""",
            Pod["securityContext"]!.ToJsonString());
        Assert.Equal(
            """{"runAsNonRoot":true,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}""",
            Container["securityContext"]!.ToJsonString());
    }

    [Fact]
    public void Probes_the_forwarder_s_health_port_and_takes_placement_and_resources_from_the_spec()
    {
        Assert.Equal("/readyz", Container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", Container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(ForwarderSettings.HealthPort, Container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal("""{"limits":{"memory":"128Mi"},"requests":{"cpu":"10m","memory":"64Mi"}}""", Container["resources"]!.ToJsonString());
        Assert.Equal("""{"kubernetes.io/os":"linux"}""", Pod["nodeSelector"]!.ToJsonString());
        Assert.Equal("""[{"key":"dedicated","operator":"Equal","value":"tunnels","effect":"NoSchedule"}]""", Pod["tolerations"]!.ToJsonString());
        Assert.Equal(
            """[{"containerPort":20000,"protocol":"TCP"},{"name":"postgres","containerPort":20001,"protocol":"TCP"},{"name":"redis","containerPort":20002,"protocol":"TCP"}]""",
            Container["ports"]!.ToJsonString());
    }

    [Fact]
    public void Without_resources_in_the_spec_the_defaults_apply()
    {
        var spec = PortForwardWorld.FullSpec();
        spec.Resources = null;
        var container = ForwarderDeploymentTemplate.Build(Resource with { Spec = spec }, "s", PortForwardWorld.Settings)["spec"]!["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal("""{"limits":{"memory":"256Mi"},"requests":{"cpu":"50m","memory":"96Mi"}}""", container["resources"]!.ToJsonString());
    }

    [Fact]
    public void The_Service_has_one_port_per_forward_to_the_named_container_ports_and_both_are_controlled_by_the_resource()
    {
        var service = ForwarderServiceTemplate.Build(Resource);

        Assert.Equal("warehouse-db", service["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("ClusterIP", service["spec"]!["type"]!.GetValue<string>());
        Assert.Equal(
            """[{"name":"postgres","protocol":"TCP","port":5432,"targetPort":"postgres"},{"name":"redis","protocol":"TCP","port":6379,"targetPort":"redis"}]""",
            service["spec"]!["ports"]!.ToJsonString());
        foreach (var owned in new[] { service, Deployment })
        {
            Assert.Equal(
                """[{"apiVersion":"sshtunnels.io/v1alpha1","kind":"SshPortForward","name":"warehouse-db","uid":"uid-spf","controller":true,"blockOwnerDeletion":true}]""",
                owned["metadata"]!["ownerReferences"]!.ToJsonString());
        }
    }
}
