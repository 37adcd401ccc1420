using System.Text.Json.Nodes;
using k8s;
using SshTunnel.Testing.Polling;

namespace Kube.Emulator.Tests.Hosting;

public sealed class KubeEmulatorTests
{
    [Fact]
    public async Task Kubeconfig_is_read_by_kubernetes_client_and_default_namespaces_exist()
    {
        await using var emulator = await KubeEmulator.StartAsync();
        var folder = Directory.CreateTempSubdirectory("kube-emulator-config-").FullName;
        try
        {
            var path = emulator.WriteKubeconfig(Path.Combine(folder, "nested", "config"));
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.True(File.Exists(path));
            Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(item => item.Metadata.Name));
            Assert.All(namespaces.Items, item => Assert.Equal("Active", item.Status.Phase));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Crds_install_from_json_files_and_a_refused_crd_says_why()
    {
        var folder = Directory.CreateTempSubdirectory("kube-emulator-crds-").FullName;
        try
        {
            await using var emulator = await KubeEmulator.StartAsync();
            var crd = new JsonObject
            {
                ["apiVersion"] = "apiextensions.k8s.io/v1",
                ["kind"] = "CustomResourceDefinition",
                ["metadata"] = new JsonObject { ["name"] = "bolts.json.example.com" },
                ["spec"] = new JsonObject
                {
                    ["group"] = "json.example.com",
                    ["scope"] = "Cluster",
                    ["names"] = new JsonObject { ["plural"] = "bolts", ["kind"] = "Bolt" },
                    ["versions"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "v1",
                        ["served"] = true,
                        ["storage"] = true,
                        ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                    }),
                },
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "bolts.json"), crd.ToJsonString());
            await emulator.InstallCrdsAsync(folder);
            using var client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
            var installed = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("bolts.json.example.com");

            crd["spec"]!["scope"] = "Galaxy";
            await File.WriteAllTextAsync(Path.Combine(folder, "bolts.json"), crd.ToJsonString());
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => emulator.InstallCrdsAsync(folder));

            Assert.Equal("Cluster", installed.Spec.Scope);
            Assert.Contains("spec.scope", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_releases_requests_held_by_a_hanging_fault()
    {
        var emulator = await KubeEmulator.StartAsync();
        emulator.Control.FailNext(1, request => request.Resource == "secrets", new EmulatorFault.Timeout());
        emulator.Control.RecordRequests = true;
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var held = http.GetAsync("/api/v1/namespaces/default/secrets");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Eventually.Until(() => emulator.Control.RecordedRequests.Any(request => request.Resource == "secrets"), "the held request to reach the emulator");

        await emulator.DisposeAsync().AsTask().WaitAsync(stop.Token);

        await Assert.ThrowsAsync<HttpRequestException>(() => held.WaitAsync(stop.Token));
    }

    [Fact]
    public async Task Dispose_ends_open_watches()
    {
        var emulator = await KubeEmulator.StartAsync();
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString() });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespaceAsync(cancellationToken: stop.Token))
            {
                first.TrySetResult();
            }
        });
        await first.Task.WaitAsync(stop.Token);

        await emulator.DisposeAsync();

        await watching.WaitAsync(stop.Token);
        Assert.False(stop.IsCancellationRequested);
    }
}
