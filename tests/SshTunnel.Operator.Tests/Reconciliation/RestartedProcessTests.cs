using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// A new operator process has checked none of the key pairs its Secret cache lists, so it reads
/// each converged connection's Secret once after ready to check them; from then on its cache
/// knows them checked and a converged connection's reconcile reads no Secret.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class RestartedProcessTests : IAsyncLifetime
{
    private OperatorHarness harness = null!;

    public async Task InitializeAsync() =>
        harness = WithoutOperator(await EmulatedCluster.StartAsync(bookmarkInterval: IdleBookmarkInterval));

    public Task DisposeAsync() => harness.DisposeAsync().AsTask();

    private int SecretGets() => harness.Cluster.Control.RecordedRequests.Count(request => request is { Resource: "secrets", Verb: "get" });

    [Fact]
    public async Task A_new_process_reads_each_converged_secret_once_and_then_decides_from_its_cache()
    {
        string[] names = ["first", "second", "third"];
        await using (var first = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]))
        {
            foreach (var name in names)
            {
                var created = await harness.CreateAsync(name, Spec());
                await first.WaitForIdleAsync(created.Metadata.ResourceVersion);
                Assert.True(HasKeys(await harness.GetAsync(name)));
            }

            await first.TerminateAsync();
        }

        harness.Cluster.Control.RecordRequests = true;
        await using var second = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]);
        await Eventually.Until(() => second.IsReadyAsync(), ready => ready, "the restarted operator to be ready", describe: _ => second.Output);
        await second.WaitForIdleAsync();
        Assert.Equal(names.Length, SecretGets());

        foreach (var name in names)
        {
            var touched = await harness.SetAnnotationAsync(name, "example.com/owner", "team-a");
            await second.WaitForIdleAsync(touched.Metadata.ResourceVersion);
        }

        Assert.Equal(names.Length, SecretGets());
        Assert.Equal(0, harness.Cluster.Control.RecordedRequests.Count(request => request.Verb is "create" or "update" or "patch" && request.Resource is "secrets"));
        Assert.True((await second.ScrapeAsync()).Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success") >= 2 * names.Length);
    }
}
