using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SshTunnel.Testing.Kubernetes;

namespace Kube.Controller.Tests.Sources;

/// <summary>
/// The controller's client against the emulator: objects and lists read as KubernetesClient
/// reads them, without managedFields, bodies larger than its first buffer, errors as before.
/// </summary>
public sealed class ControllerClientTests : IAsyncLifetime
{
    private const string Namespace = "client";
    private EmulatedCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [Namespace]);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("small", "value"), Namespace, fieldManager: "test-writer");
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("large", new string('x', 200_000)), Namespace, fieldManager: "test-writer");
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task An_object_reads_whole_except_its_managed_fields()
    {
        var plain = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("small", Namespace);
        var read = await cluster.ControllerClient.CoreV1.ReadNamespacedSecretAsync("small", Namespace);

        Assert.Contains(plain.Metadata.ManagedFields, entry => entry.Manager == "test-writer");
        Assert.Null(read.Metadata.ManagedFields);
        Assert.Equal(plain.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(plain.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(plain.Metadata.CreationTimestamp, read.Metadata.CreationTimestamp);
        Assert.Equal("value", System.Text.Encoding.UTF8.GetString(read.Data["key"]));
    }

    [Fact]
    public async Task A_list_larger_than_the_first_buffer_reads_whole()
    {
        var list = await cluster.ControllerClient.CoreV1.ListNamespacedSecretAsync(Namespace);

        Assert.Equal(["large", "small"], list.Items.Select(item => item.Metadata.Name).Order());
        Assert.All(list.Items, item => Assert.Null(item.Metadata.ManagedFields));
        Assert.Equal(200_000, list.Items.Single(item => item.Metadata.Name == "large").Data["key"].Length);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_list_reads_in_pages()
    {
        var first = await cluster.ControllerClient.CoreV1.ListNamespacedSecretAsync(Namespace, limit: 1);
        var second = await cluster.ControllerClient.CoreV1.ListNamespacedSecretAsync(Namespace, limit: 1, continueParameter: first.Metadata.ContinueProperty);

        Assert.NotEqual(first.Items.Single().Metadata.Name, second.Items.Single().Metadata.Name);
        Assert.True(string.IsNullOrEmpty(second.Metadata.ContinueProperty));
    }

    [Fact]
    public async Task A_write_returns_the_written_object()
    {
        var current = await cluster.ControllerClient.CoreV1.ReadNamespacedSecretAsync("small", Namespace);
        current.Data["key"] = "changed"u8.ToArray();

        var written = await cluster.ControllerClient.CoreV1.ReplaceNamespacedSecretAsync(current, "small", Namespace);

        Assert.NotEqual(current.Metadata.ResourceVersion, written.Metadata.ResourceVersion);
        Assert.Equal("changed", System.Text.Encoding.UTF8.GetString(written.Data["key"]));
    }

    [Fact]
    public async Task An_error_is_thrown_as_KubernetesClient_throws_it()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.ControllerClient.CoreV1.ReadNamespacedSecretAsync("missing", Namespace));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    private static V1Secret Secret(string name, string value) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, byte[]> { ["key"] = System.Text.Encoding.UTF8.GetBytes(value) },
    };
}
