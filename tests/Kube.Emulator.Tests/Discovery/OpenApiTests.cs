using System.Net;
using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Tests.Discovery;

/// <summary>/openapi/v3 and /openapi/v2 for custom resources, in the shape kubectl reads (explain, apply, field validation).</summary>
[Collection(EmulatorCollection.Name)]
public sealed class OpenApiTests(EmulatorFixture fixture)
{
    private const string WidgetDefinition = "com.example.v1.Widget";

    [Fact]
    public async Task The_v3_index_names_each_custom_resource_group_version_by_its_current_hash()
    {
        using var http = Http();

        var index = await JsonAsync(http, "/openapi/v3");
        var url = index["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.GetValue<string>();
        using var document = await http.GetAsync(url);

        Assert.StartsWith("/openapi/v3/apis/example.com/v1?hash=", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("\"" + url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..] + "\"", document.Headers.ETag!.Tag);
        Assert.True(document.Headers.CacheControl!.Public);
        Assert.Null(index["paths"]!["api/v1"]);
    }

    [Fact]
    public async Task A_group_version_document_holds_the_kind_and_list_schemas_with_their_group_version_kind()
    {
        using var http = Http();

        var document = await JsonAsync(http, "/openapi/v3/apis/example.com/v1");
        var schemas = document["components"]!["schemas"]!;
        var widget = schemas[WidgetDefinition]!;
        var list = schemas["com.example.v1.WidgetList"]!;

        Assert.Equal("3.0.0", document["openapi"]!.GetValue<string>());
        Assert.Equal("""[{"group":"example.com","kind":"Widget","version":"v1"}]""", widget["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", widget["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.Contains("APIVersion defines the versioned schema", widget["properties"]!["apiVersion"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, widget["properties"]!["spec"]!["properties"]!["size"]!["minimum"]!.GetValue<int>());
        Assert.Equal("self.size <= 100", widget["properties"]!["spec"]!["x-kubernetes-validations"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/" + WidgetDefinition, list["properties"]!["items"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.Equal("WidgetList is a list of Widget", list["description"]!.GetValue<string>());
        Assert.NotNull(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/openapi/v3/apis/example.com/v9")).StatusCode);
    }

    /// <summary>What kubectl decides from: no strategic merge patch for a custom resource, and fieldValidation supported.</summary>
    [Fact]
    public async Task Patch_operations_accept_the_custom_resource_patch_types_and_name_fieldValidation()
    {
        using var http = Http();

        var document = await JsonAsync(http, "/openapi/v3/apis/example.com/v1");
        var item = document["paths"]!["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]!;
        var patch = item["patch"]!;
        var status = document["paths"]!["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status"]!;

        Assert.Equal(["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"], patch["requestBody"]!["content"]!.AsObject().Select(entry => entry.Key));
        Assert.Equal("""{"group":"example.com","kind":"Widget","version":"v1"}""", patch["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Contains(patch["parameters"]!.AsArray(), parameter => parameter!["name"]!.GetValue<string>() == "fieldValidation");
        Assert.Equal("patchExampleComV1NamespacedWidget", patch["operationId"]!.GetValue<string>());
        Assert.Equal(["name", "namespace", "pretty"], item["parameters"]!.AsArray().Select(parameter => parameter!["name"]!.GetValue<string>()));
        Assert.NotNull(status["put"]);
        Assert.NotNull(document["paths"]!["/apis/example.com/v1/widgets"]!["get"]);
    }

    [Fact]
    public async Task V2_definitions_carry_the_kinds_without_value_validations_and_refer_under_definitions()
    {
        using var http = Http();

        var document = await JsonAsync(http, "/openapi/v2");
        var widget = document["definitions"]![WidgetDefinition]!;

        Assert.Equal("2.0", document["swagger"]!.GetValue<string>());
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", widget["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        Assert.Null(widget["properties"]!["spec"]!["properties"]!["size"]!["minimum"]);
        Assert.Null(widget["properties"]!["spec"]!["x-kubernetes-validations"]);
        Assert.Equal("""[{"group":"example.com","kind":"Widget","version":"v1"}]""", widget["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time", document["definitions"]!["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["properties"]!["creationTimestamp"]!["$ref"]!.GetValue<string>());
    }

    /// <summary>What apiextensions' v2 view does so that kubectl's v2 validation refuses nothing the server accepts.</summary>
    [Fact]
    public async Task V2_drops_what_kubectl_cannot_read_under_preserved_unknown_fields_and_nullable_while_v3_keeps_it()
    {
        using var http = Http();
        var crd = YamlJson.Parse("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.openapi.example.com}
            spec:
              group: openapi.example.com
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Gizmo}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                            free: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: string}}}
                            maybe: {type: string, nullable: true}
                            loose: {type: array, x-kubernetes-preserve-unknown-fields: true, items: {type: string}}
            """);
        using var created = await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(crd.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        var v2 = (await JsonAsync(http, "/openapi/v2"))["definitions"]!["com.example.openapi.v1.Gizmo"]!["properties"]!["spec"]!["properties"]!;
        var v3 = (await JsonAsync(http, "/openapi/v3/apis/openapi.example.com/v1"))["components"]!["schemas"]!["com.example.openapi.v1.Gizmo"]!["properties"]!["spec"]!["properties"]!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""{"type":"object","x-kubernetes-preserve-unknown-fields":true}""", v2["free"]!.ToJsonString());
        Assert.Equal("{}", v2["maybe"]!.ToJsonString());
        Assert.Equal("""{"x-kubernetes-preserve-unknown-fields":true}""", v2["loose"]!.ToJsonString());
        Assert.Equal("string", v3["free"]!["properties"]!["known"]!["type"]!.GetValue<string>());
        Assert.True(v3["maybe"]!["nullable"]!.GetValue<bool>());
    }

    private HttpClient Http() => new() { BaseAddress = fixture.Emulator.BaseAddress };

    private static async Task<JsonObject> JsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
