using k8s;
using k8s.Models;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Repository;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.PortForwards;

/// <summary>
/// The operator process on a cluster that has only the SshTunnelConnection CRD (a plain-manifest
/// upgrade that applied the old CRD only): connections work, the missing SshPortForward CRD is
/// logged once and shown by a metric, and port forwards start by themselves once it is installed.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class MissingPortForwardCrdTests : IAsyncLifetime
{
    private const string NotInstalled = "The SshPortForward CRD (sshportforwards.sshtunnels.io) is not installed";
    private const string Installed = "The SshPortForward CRD is installed now";

    private OperatorHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = WithoutOperator(await EmulatedCluster.StartAsync(withCrds: false, bookmarkInterval: IdleBookmarkInterval));
        await InstallCrdAsync(RepositoryPaths.CrdFile);
    }

    public Task DisposeAsync() => harness.DisposeAsync().AsTask();

    private async Task<V1CustomResourceDefinition> InstallCrdAsync(string file) =>
        await harness.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(await KubernetesYaml.LoadFromFileAsync<V1CustomResourceDefinition>(file));

    /// <summary>Log entries (one a line) that contain <paramref name="part"/>.</summary>
    private static int Entries(string output, string part) => output.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));

    [Fact]
    public async Task Connections_work_without_the_SshPortForward_CRD_and_port_forwards_start_once_it_is_installed()
    {
        await using var process = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]);
        await Eventually.Until(() => process.IsReadyAsync(), ready => ready, "the operator to be ready without the SshPortForward CRD", describe: _ => process.Output);

        var created = await harness.CreateAsync("bastion", Spec());
        await process.WaitForIdleAsync(created.Metadata.ResourceVersion);
        var withKeys = await harness.GetAsync("bastion");
        Assert.True(HasKeys(withKeys));
        var bumped = await harness.AnnotateAsync("bastion", "1");
        await process.WaitForIdleAsync(bumped.Metadata.ResourceVersion);
        var rotated = await harness.GetAsync("bastion");
        Assert.Equal(withKeys.Status!.PublicKey2, rotated.Status!.PublicKey1);
        Assert.Equal(0, (await process.ScrapeAsync()).Value("sshtunnel_portforward_crd_installed"));
        Assert.Equal(1, Entries(process.Output, NotInstalled));

        await InstallCrdAsync(RepositoryPaths.PortForwardCrdFile);
        var forward = await new PortForwardClient(harness.Client, Namespace).CreateAsync("warehouse-db", PortForwardClient.Spec("bastion"));
        await process.WaitForIdleAsync(forward.Metadata.ResourceVersion);

        var forwards = new PortForwardClient(harness.Client, Namespace);
        Assert.NotNull(await forwards.DeploymentAsync("warehouse-db"));
        Assert.NotNull(await forwards.ServiceAsync("warehouse-db"));
        Assert.NotNull((await forwards.GetAsync("warehouse-db")).Status);
        Assert.Equal(1, (await process.ScrapeAsync()).Value("sshtunnel_portforward_crd_installed"));
        Assert.Equal((1, 1), (Entries(process.Output, NotInstalled), Entries(process.Output, Installed)));
    }
}
