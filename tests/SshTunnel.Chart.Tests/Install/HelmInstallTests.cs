using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>The real helm installs, upgrades and uninstalls the chart on the Kube.Emulator API server.</summary>
public sealed class HelmInstallTests
{
    private const string Namespace = "ops";
    private const string Release = "tunnels";
    private const string FullName = "tunnels-ssh-tunnel-operator";
    private const string CrdName = "sshtunnelconnections.sshtunnels.io";

    [Fact]
    public async Task Install_creates_every_object_and_serves_the_CRD()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [Namespace]);
        var client = cluster.Client;

        var installed = (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace)).Succeeded();

        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(FullName, Namespace);
        await client.CoreV1.ReadNamespacedServiceAccountAsync(FullName, Namespace);
        await client.CoreV1.ReadNamespacedServiceAsync(FullName + "-metrics", Namespace);
        var role = await client.RbacAuthorizationV1.ReadClusterRoleAsync(FullName);
        await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync(FullName);
        await client.RbacAuthorizationV1.ReadClusterRoleAsync(FullName + "-view");
        await client.RbacAuthorizationV1.ReadClusterRoleAsync(FullName + "-edit");
        await client.RbacAuthorizationV1.ReadNamespacedRoleAsync(FullName + "-leader-election", Namespace);
        await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(FullName + "-leader-election", Namespace);
        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        await CreateConnectionAsync(client, "default", "warehouse-bastion");
        var connections = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("sshtunnels.io", "v1alpha1", "default", "sshtunnelconnections");

        Assert.Contains("STATUS: deployed", installed.Output, StringComparison.Ordinal);
        Assert.Contains("kubectl", installed.Output, StringComparison.Ordinal);
        Assert.Equal("operator", deployment.Spec.Template.Spec.Containers[0].Name);
        Assert.Equal(10, role.Rules.Count);
        Assert.Equal("keep", crd.Metadata.Annotations["helm.sh/resource-policy"]);
        Assert.Equal(1, connections.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Upgrade_changes_the_CRD_and_uninstall_keeps_it_with_the_connections()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [Namespace]);
        var client = cluster.Client;
        (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace)).Succeeded();
        await CreateConnectionAsync(client, "default", "warehouse-bastion");

        (await cluster.HelmAsync(
            "upgrade", Release, RepositoryPaths.Chart, "--namespace", Namespace,
            "--set-string", "crds.annotations.sshtunnels\\.io/chart-revision=2")).Succeeded();
        var upgraded = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        (await cluster.HelmAsync("uninstall", Release, "--namespace", Namespace)).Succeeded();
        var kept = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        var connection = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            "sshtunnels.io", "v1alpha1", "default", "sshtunnelconnections", "warehouse-bastion");
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(Namespace);

        Assert.Equal("2", upgraded.Metadata.Annotations["sshtunnels.io/chart-revision"]);
        Assert.Equal("keep", kept.Metadata.Annotations["helm.sh/resource-policy"]);
        Assert.Equal("warehouse-bastion", connection.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Empty(deployments.Items);
        await AssertNotFoundAsync(() => client.RbacAuthorizationV1.ReadClusterRoleAsync(FullName));
    }

    [Fact]
    public async Task Without_keep_uninstall_removes_the_CRD()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [Namespace]);

        (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace, "--set", "crds.keep=false")).Succeeded();
        await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        (await cluster.HelmAsync("uninstall", Release, "--namespace", Namespace)).Succeeded();

        // As on a real API server, a deleted CRD lingers until its cleanup finalizer has removed
        // every custom resource, so its disappearance is awaited rather than expected at once.
        await ApiReads.UntilGoneAsync(() => cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName), "the CRD helm uninstall deleted");
    }

    [Fact]
    public async Task Namespaced_install_puts_the_operators_Roles_in_the_watched_namespaces()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [Namespace, "team-a", "team-b"]);
        var client = cluster.Client;

        (await cluster.HelmAsync(
            "install", Release, RepositoryPaths.Chart, "--namespace", Namespace,
            "--set", "watchNamespaces={team-a,team-b}", "--set", "replicaCount=2", "--set", "podDisruptionBudget.enabled=true")).Succeeded();

        await client.RbacAuthorizationV1.ReadNamespacedRoleAsync(FullName, "team-a");
        await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(FullName, "team-b");
        await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(FullName, Namespace);
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(FullName, Namespace);

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Contains("--namespaces=team-a,team-b", deployment.Spec.Template.Spec.Containers[0].Args);
        await AssertNotFoundAsync(() => client.RbacAuthorizationV1.ReadClusterRoleBindingAsync(FullName));
    }

    [Fact]
    public async Task A_CRD_applied_by_hand_first_is_left_alone_with_crds_install_false_or_handed_over_to_the_release()
    {
        await using var cluster = await EmulatedCluster.StartAsync(namespaces: [Namespace]);
        var client = cluster.Client;
        await CreateConnectionAsync(client, "default", "warehouse-bastion");

        var refused = (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace)).Failed();
        (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace, "--set", "crds.install=false")).Succeeded();
        var untouched = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        (await cluster.HelmAsync("uninstall", Release, "--namespace", Namespace)).Succeeded();
        var handedOver = new V1Patch(
            "{\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":\"Helm\"},\"annotations\":{\"meta.helm.sh/release-name\":\"" + Release
                + "\",\"meta.helm.sh/release-namespace\":\"" + Namespace + "\"}}}",
            V1Patch.PatchType.MergePatch);
        foreach (var crd in await client.ApiextensionsV1.ListCustomResourceDefinitionAsync())
        {
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(handedOver, crd.Metadata.Name);
        }

        (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace)).Succeeded();
        var adopted = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);
        var connections = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("sshtunnels.io", "v1alpha1", "default", "sshtunnelconnections");

        Assert.Contains("exists and cannot be imported into the current release", refused.Error, StringComparison.Ordinal);
        Assert.False(untouched.Metadata.Annotations?.ContainsKey("meta.helm.sh/release-name") ?? false);
        Assert.Equal("keep", adopted.Metadata.Annotations["helm.sh/resource-policy"]);
        Assert.Equal("ssh-tunnel-operator", adopted.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal(1, connections.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Take_ownership_hands_a_CRD_applied_by_hand_to_the_release()
    {
        await using var cluster = await EmulatedCluster.StartAsync(namespaces: [Namespace]);

        (await cluster.HelmAsync("install", Release, RepositoryPaths.Chart, "--namespace", Namespace, "--take-ownership")).Succeeded();
        var adopted = await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName);

        Assert.Equal(Release, adopted.Metadata.Annotations["meta.helm.sh/release-name"]);
    }

    private static async Task CreateConnectionAsync(Kubernetes client, string ns, string name)
    {
        var connection = new Dictionary<string, object>
        {
            ["apiVersion"] = "sshtunnels.io/v1alpha1",
            ["kind"] = "SshTunnelConnection",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name },
            ["spec"] = new Dictionary<string, object> { ["host"] = "bastion.example.com", ["user"] = "materialize", ["validate"] = false },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(connection, "sshtunnels.io", "v1alpha1", ns, "sshtunnelconnections");
    }

    private static async Task AssertNotFoundAsync(Func<Task> read)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(read);
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }
}
