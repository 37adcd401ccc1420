using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Patching;

[Collection(EmulatorCollection.Name)]
public sealed class PatchTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Merge_patch_sets_and_removes_fields()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }, ns);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":null,\"c\":\"3\"}}", V1Patch.PatchType.MergePatch), "m", ns);

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Data);
    }

    [Fact]
    public async Task Json_patch_applies_operations_in_order()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "j" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"},{\"op\":\"remove\",\"path\":\"/data/a\"},{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}}]", V1Patch.PatchType.JsonPatch),
            "j",
            ns);

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
        Assert.Equal("y", patched.Metadata.Labels["x"]);
    }

    [Fact]
    public async Task Merge_patch_with_a_stale_resource_version_is_409()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("stale"));

        var failure = await Widgets.FailsAsync(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"size\":3}}", V1Patch.PatchType.MergePatch), Widgets.Group, Widgets.Version, ns, Widgets.Plural, "stale"));

        Assert.Equal(HttpStatusCode.Conflict, failure.Response.StatusCode);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        var ns = await fixture.NewNamespaceAsync();
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "d" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "d" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "a:1" }, new V1Container { Name = "side", Image = "b:1" }] },
                },
            },
        };
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"a:2\"},{\"name\":\"side\",\"$patch\":\"delete\"}]}}}}", V1Patch.PatchType.StrategicMergePatch),
            "d",
            ns);

        var container = Assert.Single(patched.Spec.Template.Spec.Containers);
        Assert.Equal("a:2", container.Image);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("smp"));

        var failure = await Widgets.FailsAsync(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"size\":3}}", V1Patch.PatchType.StrategicMergePatch), Widgets.Group, Widgets.Version, ns, Widgets.Plural, "smp"));

        Widgets.AssertStatus(failure, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    }

    [Fact]
    public async Task Status_patch_changes_only_status()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("sp"));

        var patched = Widgets.ToNode(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("{\"spec\":{\"color\":\"blue\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}", V1Patch.PatchType.MergePatch), Widgets.Group, Widgets.Version, ns, Widgets.Plural, "sp"));

        Assert.Equal("red", patched["spec"]!["color"]!.GetValue<string>());
        Assert.Equal("Ready", patched["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Server_side_apply_creates_then_updates_and_drops_fields_no_longer_applied()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "ssa", ["labels"] = new JsonObject { ["a"] = "1" } },
            ["data"] = new JsonObject { ["x"] = "1", ["y"] = "2" },
        };
        var created = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(first.ToJsonString(), V1Patch.PatchType.ApplyPatch), "ssa", ns, fieldManager: "tester");
        var second = (JsonObject)first.DeepClone();
        second["data"]!.AsObject().Remove("y");

        var updated = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(second.ToJsonString(), V1Patch.PatchType.ApplyPatch), "ssa", ns, fieldManager: "tester");

        Assert.Equal(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" }, created.Data);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "1" }, updated.Data);
        var entry = Assert.Single(updated.Metadata.ManagedFields, field => field.Manager == "tester");
        Assert.Equal("Apply", entry.Operation);
    }

    [Fact]
    public async Task Server_side_apply_keeps_dropped_fields_that_another_manager_owns()
    {
        var ns = await fixture.NewNamespaceAsync();
        var applied = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "shared" },
            ["data"] = new JsonObject { ["mine"] = "1", ["shared"] = "1" },
        };
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "shared", ns, fieldManager: "applier");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"shared\":\"2\"}}", V1Patch.PatchType.MergePatch), "shared", ns, fieldManager: "editor");
        applied["data"] = new JsonObject { ["mine"] = "1" };

        var result = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "shared", ns, fieldManager: "applier");

        Assert.Equal(new Dictionary<string, string> { ["mine"] = "1", ["shared"] = "2" }, result.Data);
    }

    [Fact]
    public async Task Server_side_apply_over_another_managers_value_conflicts_unless_forced()
    {
        var ns = await fixture.NewNamespaceAsync();
        var applied = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "contested" },
            ["data"] = new JsonObject { ["key"] = "1" },
        };
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "contested", ns, fieldManager: "first");
        applied["data"]!["key"] = "2";

        var failure = await Widgets.FailsAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "contested", ns, fieldManager: "second"));
        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "contested", ns, fieldManager: "second", force: true);

        Widgets.AssertStatus(failure, HttpStatusCode.Conflict, "Conflict", "Apply failed with 1 conflict: conflict with \"first\": .data.key");
        var cause = Widgets.Status(failure)["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", cause["reason"]!.GetValue<string>());
        Assert.Equal(".data.key", cause["field"]!.GetValue<string>());
        Assert.Equal("2", forced.Data["key"]);
        Assert.DoesNotContain(forced.Metadata.ManagedFields, entry => entry.Manager == "first");
    }

    [Fact]
    public async Task An_update_takes_the_fields_it_changes_so_a_later_apply_conflicts_with_it()
    {
        var ns = await fixture.NewNamespaceAsync();
        var applied = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "taken" },
            ["data"] = new JsonObject { ["key"] = "1", ["other"] = "1" },
        };
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "taken", ns, fieldManager: "applier");
        var edited = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"key\":\"2\"}}", V1Patch.PatchType.MergePatch), "taken", ns, fieldManager: "editor");
        applied["data"]!["key"] = "3";

        var failure = await Widgets.FailsAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), "taken", ns, fieldManager: "applier"));

        var applierFields = Assert.Single(edited.Metadata.ManagedFields, entry => entry.Manager == "applier").FieldsV1.ToString();
        Assert.DoesNotContain("f:key", applierFields, StringComparison.Ordinal);
        var message = Widgets.Status(failure)["message"]!.GetValue<string>();
        Assert.StartsWith("Apply failed with 1 conflict: conflict with \"editor\" using v1 at ", message, StringComparison.Ordinal);
        Assert.EndsWith(": .data.key", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_manager_applying_spec_and_then_status_keeps_both()
    {
        var ns = await fixture.NewNamespaceAsync();
        var spec = Widgets.New("applied", color: "blue", size: 4);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(spec.ToJsonString(), V1Patch.PatchType.ApplyPatch), Widgets.Group, Widgets.Version, ns, Widgets.Plural, "applied", fieldManager: "operator");
        var status = new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "applied" },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
        };

        var result = Widgets.ToNode(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.ApplyPatch), Widgets.Group, Widgets.Version, ns, Widgets.Plural, "applied", fieldManager: "operator"));

        Assert.Equal("blue", result["spec"]!["color"]!.GetValue<string>());
        Assert.Equal(4, result["spec"]!["size"]!.GetValue<int>());
        Assert.Equal("True", result["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(2, result["metadata"]!["managedFields"]!.AsArray().Count(entry => entry!["manager"]!.GetValue<string>() == "operator"));
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_400()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", V1Patch.PatchType.ApplyPatch), "x", ns));

        Assert.Equal(HttpStatusCode.BadRequest, failure.Response.StatusCode);
    }
}
