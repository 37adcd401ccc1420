using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Chart.Tests.Templates;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>
/// The helm test hook on the emulator. The emulator has no kubelet (and serves no Pods), so the
/// pod itself is not run: its three kubectl calls are run here in its order with the real kubectl
/// against the emulator and the real operator, every request they make must be allowed by the
/// hook's own Role, and the rendered Pod must be a well-formed core/v1 Pod.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class HelmTestHookTests
{
    private const string TestName = ChartValues.FullName + "-test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_pods_kubectl_calls_create_a_connection_see_it_Ready_and_delete_it_within_the_hooks_Role()
    {
        await using var cluster = await EmulatedCluster.StartAsync(namespaces: [ChartValues.ReleaseNamespace]);
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "healthPort=" + FreePort.Find(), "metrics.enabled=false");
        var pod = chart.Hook("Pod", TestName);
        var manifests = Directory.CreateTempSubdirectory("chart-tests-manifests-").FullName;
        await File.WriteAllTextAsync(Path.Combine(manifests, "connection.yaml"), (string)chart.Hook("ConfigMap", TestName)["data"]!["connection.yaml"]!);
        var operatorArguments = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()
            .Select(argument => ((string)argument!).Replace("$(POD_NAMESPACE)", ChartValues.ReleaseNamespace, StringComparison.Ordinal));
        var steps = pod["spec"]!["initContainers"]!.AsArray().Concat(pod["spec"]!["containers"]!.AsArray()).Select(step => step!).ToList();

        cluster.Control.RecordRequests = true;
        await using (var running = OperatorProcess.Start(cluster.KubeconfigPath, operatorArguments))
        {
            foreach (var step in steps)
            {
                var arguments = step["args"]!.AsArray()
                    .Select(argument => ((string)argument!).Replace("/manifests", manifests, StringComparison.Ordinal));
                var result = await ProcessRunner.RunAsync(
                    Kubectl(), [.. arguments, "--kubeconfig", cluster.KubeconfigPath], new ProcessOptions { Timeout = Patience });
                Assert.True(result.ExitCode == 0, (string?)step["name"] + " failed:\n" + result.Describe() + "\noperator output:\n" + running.Output);
            }
        }

        cluster.Control.RecordRequests = false;
        Directory.Delete(manifests, recursive: true);

        var authorizer = new RbacAuthorizer(chart.HooksOnly, TestName, ChartValues.ReleaseNamespace);
        // The operator lists and watches across all namespaces and writes status; what remains in the
        // test's namespace is kubectl's (and the operator's fresh reads, which the Role allows too).
        var kubectlRequests = cluster.Control.RecordedRequests
            .Where(request => request is { Resource: "sshtunnelconnections", Subresource: null, Namespace: ChartValues.ReleaseNamespace })
            .ToList();
        var denied = kubectlRequests.Where(request => !authorizer.Allows(request)).Select(request => request.Verb + " " + request.Path).Distinct().ToList();
        var remaining = await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            "sshtunnels.io", "v1alpha1", ChartValues.ReleaseNamespace, "sshtunnelconnections");

        Assert.True(denied.Count == 0, "denied:\n" + string.Join('\n', denied));
        Assert.Superset(new HashSet<string> { "get", "create", "list", "watch", "delete" }, kubectlRequests.Select(request => request.Verb).ToHashSet());
        Assert.Equal(0, remaining.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Helm_test_creates_the_hooks_ServiceAccount_Role_binding_and_manifest_before_the_pod()
    {
        await using var cluster = await EmulatedCluster.StartAsync(withCrds: false, namespaces: [ChartValues.ReleaseNamespace]);
        var client = cluster.Client;
        (await cluster.HelmAsync("install", "tunnels", RepositoryPaths.Chart, "--namespace", ChartValues.ReleaseNamespace)).Succeeded();

        // No kubelet: the pod never completes (and the emulator serves no Pods), so helm test
        // cannot pass here; the hooks of lower weight are created first all the same.
        await cluster.HelmAsync("test", "tunnels", "--namespace", ChartValues.ReleaseNamespace, "--timeout", "5s");
        await client.CoreV1.ReadNamespacedServiceAccountAsync(TestName, ChartValues.ReleaseNamespace);
        var role = await client.RbacAuthorizationV1.ReadNamespacedRoleAsync(TestName, ChartValues.ReleaseNamespace);
        var binding = await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(TestName, ChartValues.ReleaseNamespace);
        var manifest = await client.CoreV1.ReadNamespacedConfigMapAsync(TestName, ChartValues.ReleaseNamespace);

        Assert.Equal(["sshtunnelconnections"], role.Rules.Single().Resources);
        Assert.Equal(TestName, binding.Subjects.Single().Name);
        Assert.Contains("validate: false", manifest.Data["connection.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rendered_test_Pod_is_a_well_formed_core_v1_Pod()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);
        var rendered = chart.Hook("Pod", TestName);
        var misspelled = rendered.DeepClone().AsObject();
        misspelled["spec"]!["initContainers"]![0]!["imagePullPolicyy"] = "Always";

        var pod = rendered.Deserialize<V1Pod>(StrictModel)!;

        Assert.Throws<JsonException>(() => misspelled.Deserialize<V1Pod>(StrictModel));
        Assert.Equal("v1", pod.ApiVersion);
        Assert.Equal("Pod", pod.Kind);
        Assert.Equal(2, pod.Spec.InitContainers.Count);
        Assert.All(pod.Spec.InitContainers.Concat(pod.Spec.Containers), container =>
        {
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", container.Name);
            Assert.False(string.IsNullOrEmpty(container.Image));
            Assert.All(container.VolumeMounts, mount => Assert.Contains(pod.Spec.Volumes, volume => volume.Name == mount.Name));
        });
        Assert.Equal(TestName, pod.Spec.Volumes.Single(volume => volume.ConfigMap is not null).ConfigMap.Name);
        Assert.NotNull(pod.Spec.Volumes.Single(volume => volume.Name == "tmp").EmptyDir);
    }

    /// <summary>KubernetesClient's core/v1 model, refusing any field the model does not know.</summary>
    private static JsonSerializerOptions StrictModel { get; } =
        new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static string Kubectl() =>
        Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } configured ? configured
            : ProcessRunner.FindOnPath("kubectl") ?? throw new InvalidOperationException("kubectl not found: set KUBECTL or put kubectl on PATH (tests/run.sh installs it)");
}
