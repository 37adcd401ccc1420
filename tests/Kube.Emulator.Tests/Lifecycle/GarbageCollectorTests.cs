using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Emulator.Tests.Lifecycle;

[Collection(EmulatorCollection.Name)]
public sealed class GarbageCollectorTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Finalizers_hold_deletion_until_the_last_one_is_removed()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/keep"] } }, ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var terminating = await client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);

        terminating.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(terminating, "held", ns);

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("held", ns));
        Assert.Equal(HttpStatusCode.NotFound, failure.Response.StatusCode);
    }

    [Fact]
    public async Task Delete_preconditions_are_checked()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "pre" } }, ns);

        var wrongUid = await Widgets.FailsAsync(() => client.CoreV1.DeleteNamespacedConfigMapAsync("pre", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "nope" } }));
        var wrongVersion = await Widgets.FailsAsync(() => client.CoreV1.DeleteNamespacedConfigMapAsync("pre", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } }));
        var deleted = await client.CoreV1.DeleteNamespacedConfigMapAsync("pre", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = created.Metadata.Uid, ResourceVersion = created.Metadata.ResourceVersion } });

        Widgets.AssertStatus(wrongUid, HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on configmaps \"pre\": Precondition failed: UID in precondition: nope, UID in object meta: {created.Metadata.Uid}");
        Widgets.AssertStatus(wrongVersion, HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on configmaps \"pre\": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: {created.Metadata.ResourceVersion}");
        Assert.Equal("Success", deleted.Status);
    }

    [Fact]
    public async Task Dependents_of_a_deleted_owner_are_collected()
    {
        var ns = await fixture.NewNamespaceAsync();
        var owner = await Widgets.CreateAsync(client, ns, Widgets.New("owner"));
        var uid = owner["metadata"]!["uid"]!.GetValue<string>();
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "owned", OwnerReferences = [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Widget", Name = "owner", Uid = uid, Controller = true }] } },
            ns);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, Widgets.Plural, "owner");

        await Eventually.Until(async () => (await client.CoreV1.ListNamespacedSecretAsync(ns)).Items.Count == 0, "the dependent Secret to be collected");
    }

    [Fact]
    public async Task Dependent_whose_owner_never_existed_is_collected()
    {
        var ns = await fixture.NewNamespaceAsync();

        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "dangling", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "ghost", Uid = Guid.NewGuid().ToString() }] } },
            ns);

        await Eventually.Until(async () => (await client.CoreV1.ListNamespacedSecretAsync(ns)).Items.Count == 0, "the dependent Secret to be collected");
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_and_drops_their_owner_reference()
    {
        var ns = await fixture.NewNamespaceAsync();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "kept", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }] } },
            ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Orphan");

        await Eventually.Until(async () => (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Count == 0, "the owner ConfigMap to be deleted");
        var kept = await client.CoreV1.ReadNamespacedSecretAsync("kept", ns);
        Assert.Null(kept.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Foreground_propagation_deletes_dependents_before_the_owner()
    {
        var ns = await fixture.NewNamespaceAsync();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "dependent", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }] } },
            ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Foreground");

        await Eventually.Until(async () => (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Count == 0, "the owner ConfigMap to be deleted");
        Assert.Empty((await client.CoreV1.ListNamespacedSecretAsync(ns)).Items);
    }

    [Fact]
    public async Task Deleting_a_namespace_empties_it_then_removes_it()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "inside" } }, ns);
        await Widgets.CreateAsync(client, ns, Widgets.New("inside"));

        await client.CoreV1.DeleteNamespaceAsync(ns);
        var refused = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "late" } }, ns));

        Assert.True(refused.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound);
        await ApiReads.UntilGoneAsync(() => client.CoreV1.ReadNamespaceAsync(ns), "the namespace");
        Assert.Empty((await client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: "metadata.namespace=" + ns)).Items);
    }

    [Fact]
    public async Task Custom_resource_delete_answers_with_the_object_and_built_ins_with_a_status()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("gone"));
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "gone" } }, ns);

        var widget = Widgets.ToNode(await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, Widgets.Plural, "gone"));
        var status = await client.CoreV1.DeleteNamespacedSecretAsync("gone", ns);

        Assert.Equal("Widget", widget["kind"]!.GetValue<string>());
        Assert.Equal("Success", status.Status);
        Assert.Equal("secrets", status.Details.Kind);
        Assert.IsType<JsonObject>(widget["metadata"]);
    }

}
