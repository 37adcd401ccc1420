using k8s;
using SshTunnel.Testing.Kubernetes;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>A small chart (Deployment, Service, ServiceAccount, Role, RoleBinding, ClusterRole, ConfigMap) through the real helm 4.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class HelmTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Chart_installs_upgrades_and_uninstalls()
    {
        var ns = await fixture.NewNamespaceAsync();
        var chart = EmulatorFixture.TestData("chart");

        var installed = (await Helm.RunAgainstAsync(fixture.KubeconfigPath, "install", "demo", chart, "-n", ns)).Succeeded();
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("demo", ns);
        var service = await client.CoreV1.ReadNamespacedServiceAsync("demo", ns);
        await client.CoreV1.ReadNamespacedServiceAccountAsync("demo", ns);
        await client.RbacAuthorizationV1.ReadNamespacedRoleAsync("demo", ns);
        await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("demo", ns);
        await client.RbacAuthorizationV1.ReadClusterRoleAsync("demo-" + ns + "-view");
        await client.CoreV1.ReadNamespacedConfigMapAsync("demo-config", ns);
        (await Helm.RunAgainstAsync(fixture.KubeconfigPath, "upgrade", "demo", chart, "-n", ns, "--set", "replicas=2")).Succeeded();
        var upgraded = await client.AppsV1.ReadNamespacedDeploymentAsync("demo", ns);
        var releases = (await Helm.RunAgainstAsync(fixture.KubeconfigPath, "list", "-n", ns)).Succeeded();
        (await Helm.RunAgainstAsync(fixture.KubeconfigPath, "uninstall", "demo", "-n", ns)).Succeeded();
        var remaining = await client.CoreV1.ListNamespacedSecretAsync(ns);
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(ns);

        Assert.Contains("STATUS: deployed", installed.Output, StringComparison.Ordinal);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal(8080, service.Spec.Ports[0].Port);
        Assert.Equal(2, upgraded.Spec.Replicas);
        Assert.Equal(2, upgraded.Metadata.Generation);
        Assert.Contains("deployed", releases.Output, StringComparison.Ordinal);
        Assert.Empty(remaining.Items);
        Assert.Empty(deployments.Items);
    }
}
