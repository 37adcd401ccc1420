using k8s;
using k8s.Autorest;
using k8s.Models;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>The emulator run alone, as the dev mode does: <c>Kube.Emulator --crds DIR --kubeconfig PATH</c>.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Runs_alone_serves_the_crds_and_stops_on_sigterm()
    {
        var folder = Directory.CreateTempSubdirectory("kube-emulator-program-").FullName;
        var kubeconfig = Path.Combine(folder, "dev", "kubeconfig");
        try
        {
            await using var emulator = RunningProcess.Start(
                "dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--crds", EmulatorFixture.TestData("crds"), "--kubeconfig", kubeconfig]);
            var lines = await Eventually.Until(
                () => Task.FromResult(emulator.StandardOutputLines),
                printed => printed.Count >= 2 || emulator.HasExited,
                "the emulator to say where it listens and where the kubeconfig is",
                describe: _ => emulator.Output);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");

            await emulator.TerminateAsync();
            using var stop = new CancellationTokenSource(Eventually.DefaultTimeout);
            await emulator.WaitForExitAsync(stop.Token);

            Assert.StartsWith("Kubernetes API emulator listening on http://127.0.0.1:", lines[0], StringComparison.Ordinal);
            Assert.Equal("kubeconfig written to " + kubeconfig, lines[1]);
            Assert.Equal("Widget", crd.Spec.Names.Kind);
            Assert.True(emulator.ExitCode == 0, emulator.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
    [Fact]
    public async Task With_control_serves_the_control_endpoints_and_says_where()
    {
        await using var emulator = RunningProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--control"]);
        var lines = await Eventually.Until(
            () => Task.FromResult(emulator.StandardOutputLines),
            printed => printed.Count >= 2 || emulator.HasExited,
            "the emulator to say where it listens and where its control endpoints are",
            describe: _ => emulator.Output);
        var address = new Uri(lines[0]["Kubernetes API emulator listening on ".Length..]);
        using var http = new HttpClient { BaseAddress = address };

        using var writes = await http.GetAsync("/emulator/v1/writes");

        Assert.Equal("control endpoints under " + new Uri(address, "/emulator/v1/"), lines[1]);
        Assert.Equal(System.Net.HttpStatusCode.OK, writes.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Enable_admission_plugins_turns_on_owner_reference_permission_enforcement(bool enabled)
    {
        await using var emulator = await EmulatorProcess.StartAsync(
            withCrds: false, enabled ? ["--enable-admission-plugins", "OwnerReferencesPermissionEnforcement"] : []);
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(emulator.KubeconfigPath));
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "app" } }, "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = "app" }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["create"] }] }, "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "app" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "app" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "app" }],
            },
            "default");
        var owner = await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        using var app = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = emulator.Address.ToString(),
            AccessToken = await emulator.Control.IssueTokenAsync("default", "app"),
        });
        var dependent = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "dependent",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }],
            },
        };

        if (enabled)
        {
            var refused = await Assert.ThrowsAsync<HttpOperationException>(() => app.CoreV1.CreateNamespacedSecretAsync(dependent, "default"));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
            Assert.Contains("cannot set blockOwnerDeletion", refused.Response.Content, StringComparison.Ordinal);
        }
        else
        {
            await app.CoreV1.CreateNamespacedSecretAsync(dependent, "default");
        }
    }

    [Fact]
    public async Task An_admission_plugin_it_does_not_have_is_named_with_exit_status_2()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet", Path.Combine(AppContext.BaseDirectory, "Kube.Emulator.dll"), "--enable-admission-plugins", "OwnerReferencesPermissionEnforcement,AlwaysPullImages");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown admission plugin AlwaysPullImages", result.Error, StringComparison.Ordinal);
    }
}
