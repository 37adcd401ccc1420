using System.Text.Json.Nodes;
using k8s;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>The user's flows through the real kubectl binary.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class KubectlTests(EmulatorFixture fixture)
{
    private readonly Kubectl kubectl = new(fixture.KubeconfigPath, fixture.WorkDirectory);
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Apply_of_a_crd_establishes_it_and_its_resources_are_served()
    {
        var ns = await fixture.NewNamespaceAsync();
        var crd = EmulatorFixture.TestData("kubectl/sprockets.yaml");

        var applied = (await kubectl.TryRunAsync("apply", "-f", crd)).Succeeded();
        (await kubectl.TryRunAsync("wait", "--for=condition=Established", "--timeout=30s", "crd/sprockets.example.com")).Succeeded();
        var sprocket = Path.Combine(fixture.WorkDirectory, ns + "-sprocket.yaml");
        await File.WriteAllTextAsync(sprocket, "apiVersion: example.com/v1alpha1\nkind: Sprocket\nmetadata:\n  name: s1\nspec: {}\n");
        (await kubectl.TryRunAsync("apply", "-n", ns, "-f", sprocket)).Succeeded();
        var table = (await kubectl.TryRunAsync("get", "spr", "-n", ns)).Succeeded();
        var again = (await kubectl.TryRunAsync("apply", "--server-side", "-f", crd)).Succeeded();

        Assert.Contains("sprockets.example.com", applied.Output, StringComparison.Ordinal);
        Assert.Matches(@"NAME\s+TEETH", table.Output);
        Assert.Matches(@"s1\s+12", table.Output);
        Assert.Contains("serverside-applied", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_then_get_shows_the_printer_columns_yaml_and_jsonpath()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = EmulatorFixture.TestData("kubectl/widget.yaml");

        var created = (await kubectl.TryRunAsync("apply", "-n", ns, "-f", manifest)).Succeeded();
        var unchanged = (await kubectl.TryRunAsync("apply", "-n", ns, "-f", manifest)).Succeeded();
        var table = (await kubectl.TryRunAsync("get", "widgets", "-n", ns)).Succeeded();
        var wide = (await kubectl.TryRunAsync("get", "wd", "-n", ns, "-o", "wide")).Succeeded();
        var category = (await kubectl.TryRunAsync("get", "gadgets", "-n", ns)).Succeeded();
        var yaml = (await kubectl.TryRunAsync("get", "widget", "cli", "-n", ns, "-o", "yaml")).Succeeded();
        var path = (await kubectl.TryRunAsync("get", "widget", "cli", "-n", ns, "-o", "jsonpath={.spec.color}/{.spec.size}")).Succeeded();

        Assert.Contains("widget.example.com/cli created", created.Output, StringComparison.Ordinal);
        Assert.Contains("widget.example.com/cli unchanged", unchanged.Output, StringComparison.Ordinal);
        Assert.Matches(@"NAME\s+SIZE\s+READY\s+AGE", table.Output);
        Assert.Matches(@"cli\s+3\s+", table.Output);
        Assert.Matches(@"NAME\s+SIZE\s+READY\s+COLOR\s+AGE", wide.Output);
        Assert.Contains("cli", category.Output, StringComparison.Ordinal);
        Assert.Contains("kind: Widget", yaml.Output, StringComparison.Ordinal);
        Assert.Contains("generation: 1", yaml.Output, StringComparison.Ordinal);
        Assert.Equal("green/3", path.Output);
    }

    [Fact]
    public async Task Annotate_label_patch_and_delete_change_the_object()
    {
        var ns = await fixture.NewNamespaceAsync();
        (await kubectl.TryRunAsync("apply", "-n", ns, "-f", EmulatorFixture.TestData("kubectl/widget.yaml"))).Succeeded();

        (await kubectl.TryRunAsync("annotate", "-n", ns, "widget", "cli", "example.com/rotate=1")).Succeeded();
        (await kubectl.TryRunAsync("annotate", "-n", ns, "--overwrite", "widget", "cli", "example.com/rotate=2")).Succeeded();
        (await kubectl.TryRunAsync("label", "-n", ns, "widget", "cli", "tier=gold")).Succeeded();
        (await kubectl.TryRunAsync("patch", "-n", ns, "widget", "cli", "--type", "merge", "-p", "{\"spec\":{\"size\":9}}")).Succeeded();
        var widget = await Widgets.GetAsync(client, ns, "cli");
        var deleted = (await kubectl.TryRunAsync("delete", "-n", ns, "widget", "cli")).Succeeded();

        Assert.Equal("2", widget["metadata"]!["annotations"]!["example.com/rotate"]!.GetValue<string>());
        Assert.Equal("gold", widget["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal(9, widget["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(2, Widgets.Generation(widget));
        Assert.Contains("widget.example.com \"cli\" deleted", deleted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_side_apply_creates_and_updates()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = EmulatorFixture.TestData("kubectl/widget.yaml");

        var first = (await kubectl.TryRunAsync("apply", "--server-side", "-n", ns, "-f", manifest)).Succeeded();
        var second = (await kubectl.TryRunAsync("apply", "--server-side", "-n", ns, "-f", manifest)).Succeeded();
        var widget = await Widgets.GetAsync(client, ns, "cli");

        Assert.Contains("serverside-applied", first.Output, StringComparison.Ordinal);
        Assert.Contains("serverside-applied", second.Output, StringComparison.Ordinal);
        Assert.Equal(1, Widgets.Generation(widget));
        Assert.Contains(widget["metadata"]!["managedFields"]!.AsArray(), entry => entry!["manager"]!.GetValue<string>() == "kubectl" && entry["operation"]!.GetValue<string>() == "Apply");
    }

    [Fact]
    public async Task Client_side_then_server_side_apply_migrates_ownership_so_dropped_fields_go()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = Path.Combine(fixture.WorkDirectory, ns + "-migrate.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flow\ndata:\n  a: \"1\"\n  b: \"2\"\n");
        (await kubectl.TryRunAsync("apply", "-n", ns, "-f", manifest)).Succeeded();
        (await kubectl.TryRunAsync("apply", "--server-side", "-n", ns, "-f", manifest)).Succeeded();

        await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flow\ndata:\n  a: \"1\"\n");
        (await kubectl.TryRunAsync("apply", "--server-side", "-n", ns, "-f", manifest)).Succeeded();
        var map = await client.CoreV1.ReadNamespacedConfigMapAsync("flow", ns);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, map.Data);
        Assert.DoesNotContain(map.Metadata.ManagedFields, entry => entry.Manager == "kubectl-client-side-apply");
    }

    [Fact]
    public async Task Get_watch_prints_rows_as_objects_change()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("first"));

        var lines = await kubectl.FirstLinesAsync(3, () => Widgets.CreateAsync(client, ns, Widgets.New("second", size: 4)), "get", "widgets", "-n", ns, "-w");

        Assert.Matches(@"NAME\s+SIZE\s+READY\s+AGE", lines[0]);
        Assert.StartsWith("first", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"second\s+4", lines[2]);
    }

    [Fact]
    public async Task Wait_for_a_condition_and_for_deletion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = await Widgets.CreateAsync(client, ns, Widgets.New("waited"));

        fixture.Emulator.Control.RecordRequests = true;
        var waiting = kubectl.TryRunAsync("wait", "-n", ns, "--for=condition=Ready", "--timeout=30s", "widget/waited");
        await WatchingAsync(ns, 1);
        widget["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Done", ["message"] = "ok", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" }) };
        await Widgets.ReplaceStatusAsync(client, ns, widget);
        var ready = (await waiting).Succeeded();

        var deleting = kubectl.TryRunAsync("wait", "-n", ns, "--for=delete", "--timeout=30s", "widget/waited");
        await WatchingAsync(ns, 2);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, Widgets.Plural, "waited");
        var gone = await deleting;

        Assert.Contains("condition met", ready.Output, StringComparison.Ordinal);
        Assert.Equal(0, gone.ExitCode);
    }

    [Fact]
    public async Task Invalid_manifest_is_refused_with_the_field_named()
    {
        var ns = await fixture.NewNamespaceAsync();

        var refused = await kubectl.TryRunAsync("apply", "-n", ns, "-f", EmulatorFixture.TestData("kubectl/invalid-widget.yaml"));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The Widget \"invalid\" is invalid: spec.size: Invalid value: -4: spec.size in body should be greater than or equal to 0", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Built_in_kinds_apply_and_list()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = Path.Combine(fixture.WorkDirectory, ns + "-builtins.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\nstringData:\n  key: value\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n");

        (await kubectl.TryRunAsync("apply", "-n", ns, "-f", manifest)).Succeeded();
        var table = (await kubectl.TryRunAsync("get", "secrets,configmaps", "-n", ns)).Succeeded();
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("sec", ns);

        Assert.Matches(@"secret/sec\s+Opaque\s+1", table.Output);
        Assert.Matches(@"configmap/cm\s+1", table.Output);
        Assert.Equal("value", System.Text.Encoding.UTF8.GetString(secret.Data["key"]));
    }

    /// <summary>Waits until kubectl opened its <paramref name="count"/>th watch on the namespace's widgets, so the change that follows reaches it through the watch.</summary>
    private Task WatchingAsync(string ns, int count) =>
        Eventually.Until(
            () => fixture.Emulator.Control.RecordedRequests.Count(request => request is { Verb: "watch", Resource: "widgets" } && request.Namespace == ns) >= count,
            $"kubectl wait to open watch {count} on the widgets of {ns}");
}
