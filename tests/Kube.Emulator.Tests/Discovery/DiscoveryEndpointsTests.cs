using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Kube.Emulator.Tests.Discovery;

[Collection(EmulatorCollection.Name)]
public sealed class DiscoveryEndpointsTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Version_is_a_kubernetes_1_32_server()
    {
        var version = await client.Version.GetCodeAsync();

        Assert.Equal("1", version.Major);
        Assert.Equal("32", version.Minor);
    }

    [Fact]
    public async Task Core_resources_are_listed_with_verbs_and_short_names()
    {
        var resources = await client.CoreV1.GetAPIResourcesAsync();

        var secrets = Assert.Single(resources.Resources, resource => resource.Name == "secrets");
        Assert.True(secrets.Namespaced);
        Assert.Contains("watch", secrets.Verbs);
        var namespaces = Assert.Single(resources.Resources, resource => resource.Name == "namespaces");
        Assert.False(namespaces.Namespaced);
        Assert.Contains("ns", namespaces.ShortNames);
        Assert.Contains(resources.Resources, resource => resource.Name == "namespaces/status");
    }

    [Fact]
    public async Task Custom_resources_appear_in_group_discovery()
    {
        var groups = await client.Apis.GetAPIVersionsAsync();
        var group = Assert.Single(groups.Groups, item => item.Name == "example.com");
        Assert.Equal("example.com/v1", group.PreferredVersion.GroupVersion);
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        var list = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1"))!;

        var widgets = list["resources"]!.AsArray().Single(item => item!["name"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("Widget", widgets["kind"]!.GetValue<string>());
        Assert.Equal("widget", widgets["singularName"]!.GetValue<string>());
        Assert.Equal("wd", widgets["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("gadgets", widgets["categories"]![0]!.GetValue<string>());
        Assert.Contains(list["resources"]!.AsArray(), item => item!["name"]!.GetValue<string>() == "widgets/status");
    }

    [Fact]
    public async Task Aggregated_discovery_is_served_when_asked_for()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("APIGroupDiscoveryList", body["kind"]!.GetValue<string>());
        var example = body["items"]!.AsArray().Single(item => item!["metadata"]!["name"]!.GetValue<string>() == "example.com")!;
        var widgets = example["versions"]![0]!["resources"]!.AsArray().Single(item => item!["resource"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("Namespaced", widgets["scope"]!.GetValue<string>());
        Assert.Equal("status", widgets["subresources"]![0]!["subresource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Crd_status_reports_established_and_accepted_names()
    {
        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");

        Assert.Contains(crd.Status.Conditions, condition => condition.Type == "Established" && condition.Status == "True");
        Assert.Contains(crd.Status.Conditions, condition => condition.Type == "NamesAccepted" && condition.Status == "True");
        Assert.Equal("widgets", crd.Status.AcceptedNames.Plural);
        Assert.Equal(["v1"], crd.Status.StoredVersions);
    }

    [Fact]
    public async Task Openapi_v2_is_protobuf_and_unknown_paths_are_404()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");

        using var openapi = await http.SendAsync(request);
        using var unknownResource = await http.GetAsync("/apis/example.com/v1/namespaces/default/nothings");

        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", openapi.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownResource.StatusCode);
        Assert.Equal("404 page not found\n", await unknownResource.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Crd_with_a_broken_schema_is_refused()
    {
        var crd = new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = "brokens.example.com" },
            ["spec"] = new JsonObject
            {
                ["group"] = "example.com",
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["plural"] = "brokens", ["kind"] = "Broken" },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["served"] = true,
                    ["storage"] = true,
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.(" }),
                        },
                    },
                }),
            },
        };
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        using var response = await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(crd.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"brokens.example.com\" is invalid", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
