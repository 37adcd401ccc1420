using System.Text.Json.Nodes;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Core.Tests.PortForwards;

public sealed class OwnedFieldsTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // desired spec, existing spec, covered
        { """{"a": 1}""", """{"a": 1, "b": 2}""", true },
        { """{"a": 1}""", """{"a": 1.0}""", true },
        { """{"a": 1}""", """{"a": "1"}""", false },
        { """{"a": 1}""", """{}""", false },
        { """{"a": {"b": "x"}}""", """{"a": {"b": "x", "c": "server default"}}""", true },
        { """{"a": [{"b": 1}]}""", """{"a": [{"b": 1, "protocol": "TCP"}]}""", true },
        { """{"a": [{"b": 1}]}""", """{"a": [{"b": 1}, {"b": 2}]}""", false },
        { """{"a": []}""", """{}""", true },
        { """{"a": {}}""", """{}""", true },
        { """{"a": []}""", """{"a": [1]}""", false },
        { """{"template": {"spec": {"nodeSelector": {}}}}""", """{"template": {"spec": {"nodeSelector": {"disk": "ssd"}}}}""", false },
        { """{"template": {"spec": {"nodeSelector": {"a": "1"}}}}""", """{"template": {"spec": {"nodeSelector": {"a": "1", "b": "2"}}}}""", false },
        { """{"template": {"spec": {"other": {"a": "1"}}}}""", """{"template": {"spec": {"other": {"a": "1", "b": "2"}}}}""", true },
        { """{"template": {"spec": {"containers": [{"resources": {"limits": {"memory": "1Gi"}}}]}}}""", """{"template": {"spec": {"containers": [{"resources": {"limits": {"memory": "1Gi", "cpu": "1"}}}]}}}""", false },
        { """{"selector": {"matchLabels": {"a": "1"}}}""", """{"selector": {"matchLabels": {"a": "1"}}}""", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Covers_only_what_the_operator_sets(string desired, string existing, bool covered)
    {
        Assert.Equal(covered, OwnedFields.Cover(Object(desired), Object(existing)));
    }

    [Fact]
    public void The_Deployment_and_Service_as_a_real_API_server_returns_them_with_defaults_are_covered()
    {
        var resource = new PortForwardResource("shop", "warehouse-db", "uid-spf", 1, PortForwardWorld.FullSpec(), null);
        var deployment = ForwarderDeploymentTemplate.Build(resource, "warehouse-bastion-ssh-keys", PortForwardWorld.Settings);
        var service = ForwarderServiceTemplate.Build(resource);
        var defaultedDeployment = deployment.DeepClone().AsObject();
        var spec = defaultedDeployment["spec"]!.AsObject();
        spec["progressDeadlineSeconds"] = 600;
        spec["revisionHistoryLimit"] = 10;
        spec["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } };
        var pod = spec["template"]!["spec"]!.AsObject();
        pod["dnsPolicy"] = "ClusterFirst";
        pod["restartPolicy"] = "Always";
        pod["schedulerName"] = "default-scheduler";
        pod["terminationGracePeriodSeconds"] = 30;
        var container = pod["containers"]![0]!.AsObject();
        container["imagePullPolicy"] = "IfNotPresent";
        container["terminationMessagePath"] = "/dev/termination-log";
        container["terminationMessagePolicy"] = "File";
        defaultedDeployment["metadata"]!["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "1" };
        var defaultedService = service.DeepClone().AsObject();
        defaultedService["spec"]!["clusterIP"] = "10.96.0.17";
        defaultedService["spec"]!["clusterIPs"] = new JsonArray("10.96.0.17");
        defaultedService["spec"]!["sessionAffinity"] = "None";
        defaultedService["spec"]!["ipFamilies"] = new JsonArray("IPv4");

        Assert.True(OwnedFields.Cover(deployment, defaultedDeployment));
        Assert.True(OwnedFields.Cover(service, defaultedService));
        container["securityContext"]!["readOnlyRootFilesystem"] = false;
        Assert.False(OwnedFields.Cover(deployment, defaultedDeployment));
    }

    [Fact]
    public void Overlay_replaces_whole_maps_and_lists_and_merges_the_rest()
    {
        var existing = Object("""{"metadata": {"name": "n", "resourceVersion": "7", "labels": {"mine": "old", "theirs": "kept"}}, "spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"nodeSelector": {"disk": "ssd"}, "tolerations": [{"key": "a"}]}}}, "status": {"replicas": 1}}""");
        var desired = Object("""{"metadata": {"labels": {"mine": "new"}}, "spec": {"template": {"spec": {"nodeSelector": {}, "tolerations": []}}}}""");

        var merged = OwnedFields.Overlay(existing, desired);

        Assert.Equal(
            """{"metadata":{"name":"n","resourceVersion":"7","labels":{"mine":"new","theirs":"kept"}},"spec":{"strategy":{"type":"Recreate"},"template":{"spec":{"nodeSelector":{},"tolerations":[]}}}}""",
            merged.ToJsonString());
        Assert.True(OwnedFields.Cover(desired, merged));
    }

    private static JsonObject Object(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return node.ContainsKey("spec") || node.ContainsKey("metadata") ? node : new JsonObject { ["spec"] = node };
    }
}
