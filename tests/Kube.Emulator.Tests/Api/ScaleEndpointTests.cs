using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Api;

[Collection(EmulatorCollection.Name)]
public sealed class ScaleEndpointTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Deployment_scale_reads_and_writes_spec_replicas()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "scaled" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "scaled" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "scaled" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "a:1" }] },
                    },
                },
            },
            ns);

        var before = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("scaled", ns);
        var patched = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "scaled", ns);
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("scaled", ns);

        Assert.Equal(1, before.Spec.Replicas);
        Assert.Equal("app=scaled", before.Status.Selector);
        Assert.Equal(4, patched.Spec.Replicas);
        Assert.Equal(4, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);
    }
}
