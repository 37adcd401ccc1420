using System.Net;
using System.Net.Http.Headers;
using k8s;

namespace Kube.Emulator.Tests.Objects;

[Collection(EmulatorCollection.Name)]
public sealed class KubernetesProtobufTests(EmulatorFixture fixture)
{
    /// <summary>What kubectl 1.32 sends for <c>kubectl create namespace zz</c>.</summary>
    private static readonly byte[] KubectlCreateNamespace = [0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, 0x4e, 0x61, 0x6d, 0x65, 0x73, 0x70, 0x61, 0x63, 0x65, 0x12, 0x1a, 0x0a, 0x12, 0x0a, 0x02, 0x7a, 0x7a, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x00, 0x1a, 0x02, 0x0a, 0x00, 0x1a, 0x00, 0x22, 0x00];

    [Fact]
    public async Task Protobuf_bodies_of_typed_clients_are_understood()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
        using var content = new ByteArrayContent(KubectlCreateNamespace);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await http.PostAsync("/api/v1/namespaces", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await fixture.Client.CoreV1.ReadNamespaceAsync("zz");
        Assert.Equal("Active", created.Status.Phase);
        Assert.Null(created.Metadata.DeletionTimestamp);
    }
}
