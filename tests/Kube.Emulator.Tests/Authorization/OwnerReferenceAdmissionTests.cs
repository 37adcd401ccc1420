using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SshTunnel.Testing.Kubernetes;

namespace Kube.Emulator.Tests.Authorization;

/// <summary>
/// The OwnerReferencesPermissionEnforcement admission plugin, when turned on: a ServiceAccount may set
/// <c>blockOwnerDeletion</c> only on owners whose finalizers it may update, and may change an object's
/// ownerReferences only when it may delete the object; the admin passes.
/// </summary>
public sealed class OwnerReferenceAdmissionTests : IAsyncLifetime
{
    private const string Namespace = "default";
    private EmulatedCluster cluster = null!;
    private Kubernetes serviceAccount = null!;
    private V1ConfigMap owner = null!;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false, ownerReferencesPermissionEnforcement: true);
        var admin = cluster.Client;
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "app" } }, Namespace);
        await GrantAsync("app", new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get", "create", "update"] });
        owner = await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, Namespace);
        var kubeconfig = cluster.Emulator.WriteKubeconfig(Path.Combine(cluster.Folder, "app-kubeconfig"), Namespace, "app");
        serviceAccount = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public async Task DisposeAsync()
    {
        serviceAccount.Dispose();
        await cluster.DisposeAsync();
    }

    /// <summary>A Role of one rule, bound to the ServiceAccount.</summary>
    private async Task GrantAsync(string name, V1PolicyRule rule)
    {
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = name }, Rules = [rule] }, Namespace);
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = name },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "app" }],
            },
            Namespace);
    }

    private static string? MessageOf(HttpOperationException refused) =>
        JsonDocument.Parse(refused.Response.Content).RootElement.GetProperty("message").GetString();

    private V1Secret Dependent(string name, bool block) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = block }],
        },
    };

    [Fact]
    public async Task Block_owner_deletion_needs_update_on_the_owners_finalizers()
    {
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => serviceAccount.CoreV1.CreateNamespacedSecretAsync(Dependent("blocking", block: true), Namespace));
        await serviceAccount.CoreV1.CreateNamespacedSecretAsync(Dependent("plain", block: false), Namespace);
        await GrantAsync("finalizers", new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps/finalizers"], Verbs = ["update"] });
        var created = await serviceAccount.CoreV1.CreateNamespacedSecretAsync(Dependent("blocking", block: true), Namespace);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains(
            "secrets \"blocking\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on",
            MessageOf(refused),
            StringComparison.Ordinal);
        Assert.True(created.Metadata.OwnerReferences.Single().BlockOwnerDeletion);
        Assert.Contains(cluster.Control.ForbiddenRequests, request => request is { Verb: "create", Resource: "secrets", User: "system:serviceaccount:default:app" });
    }

    [Fact]
    public async Task Changing_owner_references_needs_delete_on_the_object_and_other_updates_pass()
    {
        var secret = await serviceAccount.CoreV1.CreateNamespacedSecretAsync(Dependent("dependent", block: false), Namespace);
        secret.StringData = new Dictionary<string, string> { ["key"] = "value" };
        secret = await serviceAccount.CoreV1.ReplaceNamespacedSecretAsync(secret, "dependent", Namespace);

        secret.Metadata.OwnerReferences = null;
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => serviceAccount.CoreV1.ReplaceNamespacedSecretAsync(secret, "dependent", Namespace));
        var byAdmin = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "dependent", Namespace);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("secrets \"dependent\" is forbidden: cannot set an ownerRef on a resource you can't delete", MessageOf(refused), StringComparison.Ordinal);
        Assert.Null(byAdmin.Metadata.OwnerReferences);
    }
}
