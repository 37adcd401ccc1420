using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Emulator.Tests.Strategies;

[Collection(EmulatorCollection.Name)]
public sealed class CrdStrategyTests(EmulatorFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Crd_lifecycle_serves_updates_and_removes_its_resources()
    {
        var plural = "things" + Guid.NewGuid().ToString("N")[..6];
        var name = plural + ".lifecycle.example.com";
        var ns = await fixture.NewNamespaceAsync();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(name, plural, ["v1"]));
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("v1", "a"), "lifecycle.example.com", "v1", ns, plural);

        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
        var updated = Crd(name, plural, ["v1", "v2"]);
        updated.Metadata.ResourceVersion = crd.Metadata.ResourceVersion;
        await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(updated, name);
        var throughV2 = Widgets.ToNode(await client.CustomObjects.GetNamespacedCustomObjectAsync("lifecycle.example.com", "v2", ns, plural, "a"));

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name);
        var failure = await ApiReads.UntilGoneAsync(() => client.CustomObjects.ListNamespacedCustomObjectAsync("lifecycle.example.com", "v1", ns, plural), "the resources of the deleted CRD");
        await ApiReads.UntilGoneAsync(() => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name), "the CRD");
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(name, plural, ["v1"]));
        var afterRecreate = Widgets.ToNode(await client.CustomObjects.ListNamespacedCustomObjectAsync("lifecycle.example.com", "v1", ns, plural));

        Assert.Equal("lifecycle.example.com/v2", throughV2["apiVersion"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, failure.Response.StatusCode);
        Assert.Empty(afterRecreate["items"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_crd_collects_what_its_resources_owned()
    {
        var plural = "owners" + Guid.NewGuid().ToString("N")[..6];
        var name = plural + ".lifecycle.example.com";
        var ns = await fixture.NewNamespaceAsync();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(name, plural, ["v1"]));
        var owner = Widgets.ToNode(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("v1", "a"), "lifecycle.example.com", "v1", ns, plural));
        await client.CoreV1.CreateNamespacedSecretAsync(
            new k8s.Models.V1Secret
            {
                Metadata = new k8s.Models.V1ObjectMeta
                {
                    Name = "owned",
                    OwnerReferences = [new k8s.Models.V1OwnerReference { ApiVersion = "lifecycle.example.com/v1", Kind = "Thing", Name = "a", Uid = owner["metadata"]!["uid"]!.GetValue<string>() }],
                },
            },
            ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret { Metadata = new k8s.Models.V1ObjectMeta { Name = "bystander" } }, ns);
        var before = await client.CoreV1.ListNamespacedSecretAsync(ns);

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name);
        var after = await Eventually.Until(
            () => client.CoreV1.ListNamespacedSecretAsync(ns),
            secrets => secrets.Items.All(secret => secret.Metadata.Name != "owned"),
            "the Secret owned by a resource of the deleted CRD to be collected",
            describe: secrets => string.Join(", ", secrets.Items.Select(secret => secret.Metadata.Name)));

        Assert.Equal(["bystander", "owned"], before.Items.Select(secret => secret.Metadata.Name).Order());
        Assert.Equal(["bystander"], after.Items.Select(secret => secret.Metadata.Name));
    }

    [Fact]
    public async Task Crd_deletion_waits_for_the_finalizers_of_its_resources()
    {
        var plural = "held" + Guid.NewGuid().ToString("N")[..6];
        var name = plural + ".lifecycle.example.com";
        var ns = await fixture.NewNamespaceAsync();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(name, plural, ["v1"]));
        var thing = Thing("v1", "a");
        thing["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(thing, "lifecycle.example.com", "v1", ns, plural);

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name);
        var terminating = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("v1", "b"), "lifecycle.example.com", "v1", ns, plural));
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch("{\"metadata\":{\"finalizers\":null}}", k8s.Models.V1Patch.PatchType.MergePatch), "lifecycle.example.com", "v1", ns, plural, "a");
        await ApiReads.UntilGoneAsync(() => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name), "the CRD");

        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Contains("customresourcecleanup.apiextensions.k8s.io", terminating.Metadata.Finalizers);
        Widgets.AssertStatus(refused, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "create not allowed while custom resource definition is terminating");
    }

    [Fact]
    public async Task Crd_whose_name_does_not_match_is_invalid()
    {
        var crd = Crd("wrong.lifecycle.example.com", "rights", ["v1"]);

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Widgets.AssertStatus(failure, (HttpStatusCode)422, "Invalid", "CustomResourceDefinition.apiextensions.k8s.io \"wrong.lifecycle.example.com\" is invalid: metadata.name: Invalid value: \"wrong.lifecycle.example.com\": must be spec.names.plural+\".\"+spec.group");
    }

    [Fact]
    public async Task Custom_resource_watch_ends_when_its_crd_is_deleted()
    {
        var plural = "watched" + Guid.NewGuid().ToString("N")[..6];
        var name = plural + ".lifecycle.example.com";
        var ns = await fixture.NewNamespaceAsync();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(name, plural, ["v1"]));
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("v1", "a"), "lifecycle.example.com", "v1", ns, plural);
        using var stop = new CancellationTokenSource(Patience);
        var types = new List<WatchEventType>();
        var added = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CustomObjects.WatchListNamespacedCustomObjectAsync("lifecycle.example.com", "v1", ns, plural, cancellationToken: stop.Token))
            {
                types.Add(type);
                added.TrySetResult();
            }
        });
        await added.Task.WaitAsync(Patience);

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name);
        await watching.WaitAsync(Patience);

        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], types);
    }

    private static JsonObject Thing(string version, string name) => new()
    {
        ["apiVersion"] = "lifecycle.example.com/" + version,
        ["kind"] = "Thing",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["value"] = 1 },
    };

    private static k8s.Models.V1CustomResourceDefinition Crd(string name, string plural, string[] versions) => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = name },
        Spec = new k8s.Models.V1CustomResourceDefinitionSpec
        {
            Group = "lifecycle.example.com",
            Scope = "Namespaced",
            Names = new k8s.Models.V1CustomResourceDefinitionNames { Plural = plural, Kind = "Thing" },
            Versions = [.. versions.Select((version, index) => new k8s.Models.V1CustomResourceDefinitionVersion
            {
                Name = version,
                Served = true,
                Storage = index == 0,
                Schema = new k8s.Models.V1CustomResourceValidation
                {
                    OpenAPIV3Schema = new k8s.Models.V1JSONSchemaProps
                    {
                        Type = "object",
                        Properties = new Dictionary<string, k8s.Models.V1JSONSchemaProps>
                        {
                            ["spec"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true },
                        },
                    },
                },
            })],
        },
    };
}
