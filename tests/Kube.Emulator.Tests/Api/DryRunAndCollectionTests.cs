using System.Net;
using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Api;

[Collection(EmulatorCollection.Name)]
public sealed class DryRunAndCollectionTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Dry_run_update_patch_and_delete_change_nothing()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        var changed = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry", ResourceVersion = created.Metadata.ResourceVersion }, Data = new Dictionary<string, string> { ["a"] = "2" } };

        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(changed, "dry", ns, dryRun: "All");
        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"b\":\"3\"}}", V1Patch.PatchType.MergePatch), "dry", ns, dryRun: "All");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("dry", ns, dryRun: "All");
        var stored = await client.CoreV1.ReadNamespacedConfigMapAsync("dry", ns);

        Assert.Equal("2", replaced.Data["a"]);
        Assert.Equal("3", patched.Data["b"]);
        Assert.Equal(created.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, stored.Data);
    }

    [Fact]
    public async Task Delete_collection_removes_only_what_the_selector_picks()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "keep", Labels = new Dictionary<string, string> { ["role"] = "keep" } } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "drop-1", Labels = new Dictionary<string, string> { ["role"] = "drop" } } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "drop-2", Labels = new Dictionary<string, string> { ["role"] = "drop" } } }, ns);

        await client.CoreV1.DeleteCollectionNamespacedSecretAsync(ns, labelSelector: "role=drop");
        var left = await client.CoreV1.ListNamespacedSecretAsync(ns);

        Assert.Equal("keep", Assert.Single(left.Items).Metadata.Name);
    }

    [Fact]
    public async Task Bodies_over_three_megabytes_are_413()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "huge" }, Data = new Dictionary<string, string> { ["a"] = new string('x', 4 * 1024 * 1024) } }, ns));

        Widgets.AssertStatus(failure, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
    }

    [Fact]
    public async Task Posting_to_an_object_path_is_405_and_unknown_resources_404()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        using var post = await http.PostAsync($"/api/v1/namespaces/{ns}/secrets/x", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var unknown = await http.GetAsync($"/api/v1/namespaces/{ns}/pods");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
