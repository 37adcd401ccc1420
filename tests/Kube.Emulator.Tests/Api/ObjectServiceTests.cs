using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Api;

[Collection(EmulatorCollection.Name)]
public sealed class ObjectServiceTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Create_assigns_uid_timestamp_and_a_growing_resource_version()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "a" } }, ns);
        var second = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "b" } }, ns);

        Assert.False(string.IsNullOrEmpty(first.Metadata.Uid));
        Assert.NotNull(first.Metadata.CreationTimestamp);
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
        Assert.Equal("Opaque", first.Type);
    }

    [Fact]
    public async Task Secret_string_data_is_folded_into_base64_data()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, Type = "example.com/thing", StringData = new Dictionary<string, string> { ["k"] = "v" } },
            ns);

        Assert.Null(created.StringData);
        Assert.Equal("v", Encoding.UTF8.GetString(created.Data["k"]));
        Assert.Equal("example.com/thing", created.Type);
    }

    [Fact]
    public async Task Generate_name_produces_a_unique_name()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cm-" } }, ns);

        Assert.StartsWith("cm-", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(8, created.Metadata.Name.Length);
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_409_already_exists()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "dup" } }, ns);

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "dup" } }, ns));

        Widgets.AssertStatus(failure, HttpStatusCode.Conflict, "AlreadyExists", "secrets \"dup\" already exists");
        var details = Widgets.Status(failure)["details"]!;
        Assert.Equal("dup", details["name"]!.GetValue<string>());
        Assert.Equal("secrets", details["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_404_namespace_not_found()
    {
        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "x" } }, "no-such-namespace"));

        Widgets.AssertStatus(failure, HttpStatusCode.NotFound, "NotFound", "namespaces \"no-such-namespace\" not found");
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_with_details()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => Widgets.GetAsync(client, ns, "nothing"));

        Widgets.AssertStatus(failure, HttpStatusCode.NotFound, "NotFound", "widgets.example.com \"nothing\" not found");
        var details = Widgets.Status(failure)["details"]!;
        Assert.Equal("example.com", details["group"]!.GetValue<string>());
        Assert.Equal("widgets", details["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_name_is_422_with_the_real_message()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Bad_Name" } }, ns));

        Assert.Equal((HttpStatusCode)422, failure.Response.StatusCode);
        var status = Widgets.Status(failure);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("metadata.name", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Label_values_longer_than_63_characters_are_invalid()
    {
        var ns = await fixture.NewNamespaceAsync();
        var value = new string('a', 64);

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "long", Labels = new Dictionary<string, string> { ["example.com/connection"] = value } } }, ns));

        Widgets.AssertStatus(failure, (HttpStatusCode)422, "Invalid", $"Secret \"long\" is invalid: metadata.labels: Invalid value: \"{value}\": must be no more than 63 characters");
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_conflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "x" } }, ns);
        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        await client.CoreV1.ReplaceNamespacedSecretAsync(created, "x", ns);
        created.Metadata.Labels["a"] = "2";

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ReplaceNamespacedSecretAsync(created, "x", ns));

        Widgets.AssertStatus(failure, HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled on secrets \"x\": the object has been modified; please apply your changes to the latest version and try again");
    }

    [Fact]
    public async Task Write_that_changes_nothing_keeps_the_resource_version()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "same" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, ns);

        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", ns);

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Custom_resource_generation_moves_with_spec_only()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = await Widgets.CreateAsync(client, ns, Widgets.New("g"));
        Assert.Equal(1, Widgets.Generation(widget));

        widget["metadata"]!["annotations"] = new JsonObject { ["note"] = "x" };
        widget = await Widgets.ReplaceAsync(client, ns, widget);
        Assert.Equal(1, Widgets.Generation(widget));

        widget["spec"]!["color"] = "blue";
        widget = await Widgets.ReplaceAsync(client, ns, widget);
        Assert.Equal(2, Widgets.Generation(widget));

        widget["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) };
        widget = await Widgets.ReplaceStatusAsync(client, ns, widget);
        Assert.Equal(2, Widgets.Generation(widget));
    }

    [Fact]
    public async Task Without_a_status_subresource_any_change_but_metadata_moves_generation()
    {
        var name = fixture.UniqueName("gen");
        var gizmo = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Gizmo", ["metadata"] = new JsonObject { ["name"] = name } };
        var created = Widgets.ToNode(await client.CustomObjects.CreateClusterCustomObjectAsync(gizmo, "example.com", "v1", "gizmos"));

        created["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var relabelled = Widgets.ToNode(await client.CustomObjects.ReplaceClusterCustomObjectAsync(created, "example.com", "v1", "gizmos", name));
        relabelled["status"] = new JsonObject { ["phase"] = "Up" };
        var withStatus = Widgets.ToNode(await client.CustomObjects.ReplaceClusterCustomObjectAsync(relabelled, "example.com", "v1", "gizmos", name));

        Assert.Equal(1, Widgets.Generation(relabelled));
        Assert.Equal(2, Widgets.Generation(withStatus));
        Assert.Equal("Up", withStatus["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_subresource_splits_status_from_the_rest()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = await Widgets.CreateAsync(client, ns, Widgets.New("split"));

        widget["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) };
        widget["spec"]!["color"] = "green";
        var afterStatus = await Widgets.ReplaceStatusAsync(client, ns, widget);
        Assert.Equal("red", afterStatus["spec"]!["color"]!.GetValue<string>());
        Assert.Equal("True", afterStatus["status"]!["conditions"]![0]!["status"]!.GetValue<string>());

        afterStatus["status"] = new JsonObject();
        afterStatus["spec"]!["color"] = "green";
        var afterMain = await Widgets.ReplaceAsync(client, ns, afterStatus);
        Assert.Equal("green", afterMain["spec"]!["color"]!.GetValue<string>());
        Assert.Equal("True", afterMain["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_resource_create_drops_status_and_applies_schema_defaults()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = Widgets.New("defaults");
        widget["status"] = new JsonObject { ["conditions"] = new JsonArray() };

        var created = await Widgets.CreateAsync(client, ns, widget);

        Assert.Null(created["status"]);
        Assert.Equal(1, created["spec"]!["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Custom_resource_update_without_resource_version_is_refused()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = await Widgets.CreateAsync(client, ns, Widgets.New("norv"));
        widget["metadata"]!.AsObject().Remove("resourceVersion");

        var failure = await Widgets.FailsAsync(() => Widgets.ReplaceAsync(client, ns, widget));

        Widgets.AssertStatus(failure, (HttpStatusCode)422, "Invalid", "Widget.example.com \"norv\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
    }

    [Fact]
    public async Task Schema_violations_are_422_invalid_with_field_causes()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => Widgets.CreateAsync(client, ns, Widgets.New("bad", color: "purple", size: -1)));

        Assert.Equal((HttpStatusCode)422, failure.Response.StatusCode);
        var status = Widgets.Status(failure);
        var message = status["message"]!.GetValue<string>();
        Assert.StartsWith("Widget.example.com \"bad\" is invalid: [", message, StringComparison.Ordinal);
        Assert.Contains("spec.color: Unsupported value: \"purple\": supported values: \"red\", \"green\", \"blue\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0", message, StringComparison.Ordinal);
        var causes = status["details"]!["causes"]!.AsArray();
        Assert.Contains(causes, cause => cause!["field"]!.GetValue<string>() == "spec.color" && cause["reason"]!.GetValue<string>() == "FieldValueNotSupported");
        Assert.Equal("Widget", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cel_rules_are_enforced_with_their_message()
    {
        var ns = await fixture.NewNamespaceAsync();

        var failure = await Widgets.FailsAsync(() => Widgets.CreateAsync(client, ns, Widgets.New("big", size: 500)));

        Widgets.AssertStatus(failure, (HttpStatusCode)422, "Invalid", "Widget.example.com \"big\" is invalid: spec: Invalid value: \"object\": size must be at most 100");
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_or_refused_under_strict_validation()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widget = Widgets.New("prune");
        widget["spec"]!["extra"] = "x";

        var created = await Widgets.CreateAsync(client, ns, widget);
        Assert.Null(created["spec"]!["extra"]);

        widget["metadata"]!["name"] = "strict";
        var failure = await Widgets.FailsAsync(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Widgets.Group, Widgets.Version, ns, Widgets.Plural, fieldValidation: "Strict"));
        Widgets.AssertStatus(failure, HttpStatusCode.BadRequest, "BadRequest", "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.extra\"");
    }

    [Fact]
    public async Task Dry_run_create_stores_nothing()
    {
        var ns = await fixture.NewNamespaceAsync();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" } }, ns, dryRun: "All");

        Assert.Equal("dry", created.Metadata.Name);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Cluster_scoped_custom_resources_are_served()
    {
        var name = fixture.UniqueName("gizmo");
        var gizmo = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Gizmo", ["metadata"] = new JsonObject { ["name"] = name }, ["anything"] = new JsonObject { ["goes"] = 1 } };

        await client.CustomObjects.CreateClusterCustomObjectAsync(gizmo, "example.com", "v1", "gizmos");
        var read = Widgets.ToNode(await client.CustomObjects.GetClusterCustomObjectAsync("example.com", "v1", "gizmos", name));

        Assert.Equal(1, read["anything"]!["goes"]!.GetValue<int>());
        Assert.Null(read["metadata"]!["namespace"]);
    }
}
