using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;

namespace Kube.Emulator.Tests.Tables;

[Collection(EmulatorCollection.Name)]
public sealed class TableWriterTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Custom_resources_print_their_columns_as_a_table()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Widgets.CreateAsync(client, ns, Widgets.New("tab", size: 7));

        var table = await GetTableAsync($"/apis/example.com/v1/namespaces/{ns}/widgets");

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        var names = table["columnDefinitions"]!.AsArray().Select(column => column!["name"]!.GetValue<string>());
        Assert.Equal(["Name", "Size", "Ready", "Color", "Age"], names);
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("tab", row["cells"]![0]!.GetValue<string>());
        Assert.Equal(7, row["cells"]![1]!.GetValue<int>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Built_in_tables_have_name_and_age()
    {
        var ns = await fixture.NewNamespaceAsync();

        var table = await GetTableAsync($"/api/v1/namespaces/{ns}/configmaps");

        var names = table["columnDefinitions"]!.AsArray().Select(column => column!["name"]!.GetValue<string>()).ToList();
        Assert.Equal("Name", names[0]);
        Assert.Equal("Age", names[^1]);
        Assert.Empty(table["rows"]!.AsArray());
    }

    [Fact]
    public async Task Events_print_like_kubectl_get_events()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedEventAsync(
            new k8s.Models.Corev1Event
            {
                Metadata = new k8s.Models.V1ObjectMeta { Name = "w.1" },
                InvolvedObject = new k8s.Models.V1ObjectReference { Kind = "Widget", Name = "w", NamespaceProperty = ns },
                Reason = "KeysRotated",
                Message = "rotated",
                Type = "Normal",
            },
            ns);

        var table = await GetTableAsync($"/api/v1/namespaces/{ns}/events");

        var names = table["columnDefinitions"]!.AsArray().Where(column => column!["priority"]!.GetValue<int>() == 0).Select(column => column!["name"]!.GetValue<string>());
        Assert.Equal(["Last Seen", "Type", "Reason", "Object", "Message"], names);
        var cells = Assert.Single(table["rows"]!.AsArray())!["cells"]!.AsArray();
        Assert.Equal("widget/w", cells[3]!.GetValue<string>());
    }

    private async Task<JsonObject> GetTableAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
