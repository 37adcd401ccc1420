using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Kube.Emulator.Tests;

/// <summary>Helpers for the test CRD's Widget resources (example.com/v1, namespaced, status subresource).</summary>
internal static class Widgets
{
    public const string Group = "example.com";
    public const string Version = "v1";
    public const string Plural = "widgets";

    public static JsonObject New(string name, string color = "red", int? size = null)
    {
        var spec = new JsonObject { ["color"] = color };
        if (size is not null)
        {
            spec["size"] = size;
        }

        return new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static async Task<JsonObject> CreateAsync(Kubernetes client, string ns, JsonObject widget) =>
        ToNode(await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, Version, ns, Plural));

    public static async Task<JsonObject> GetAsync(Kubernetes client, string ns, string name) =>
        ToNode(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, name));

    public static async Task<JsonObject> ReplaceAsync(Kubernetes client, string ns, JsonObject widget) =>
        ToNode(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(widget, Group, Version, ns, Plural, widget["metadata"]!["name"]!.GetValue<string>()));

    public static async Task<JsonObject> ReplaceStatusAsync(Kubernetes client, string ns, JsonObject widget) =>
        ToNode(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(widget, Group, Version, ns, Plural, widget["metadata"]!["name"]!.GetValue<string>()));

    public static JsonObject ToNode(object value) =>
        JsonNode.Parse(value is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(value))!.AsObject();

    public static string ResourceVersion(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    public static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    public static async Task<HttpOperationException> FailsAsync(Func<Task> action)
    {
        var failure = await Assert.ThrowsAsync<HttpOperationException>(action);
        return failure;
    }

    public static JsonObject Status(HttpOperationException failure) => JsonNode.Parse(failure.Response.Content)!.AsObject();

    public static void AssertStatus(HttpOperationException failure, HttpStatusCode code, string reason, string message)
    {
        Assert.Equal(code, failure.Response.StatusCode);
        var status = Status(failure);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("v1", status["apiVersion"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(message, status["message"]!.GetValue<string>());
        Assert.Equal((int)code, status["code"]!.GetValue<int>());
    }
}
