using System.Text;
using k8s;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// A new operator process has checked none of the key pairs its Secret cache lists: it checks
/// them after ready from what the LIST brought, so a converged connection's reconcile reads no
/// Secret, neither after the restart nor later; a Secret whose seed was forged meanwhile is read
/// and reported.
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
    public async Task A_new_process_reads_no_converged_secret_and_decides_from_its_cache()
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
        Assert.Equal(0, SecretGets());

        foreach (var name in names)
        {
            var touched = await harness.SetAnnotationAsync(name, "example.com/owner", "team-a");
            await second.WaitForIdleAsync(touched.Metadata.ResourceVersion);
        }

        Assert.Equal(0, SecretGets());
        Assert.Equal(0, harness.Cluster.Control.RecordedRequests.Count(request => request.Verb is "create" or "update" or "patch" && request.Resource is "secrets"));
        Assert.True((await second.ScrapeAsync()).Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success") >= 2 * names.Length);
    }

    [Fact]
    public async Task A_seed_forged_while_no_operator_ran_is_read_and_reported_by_the_new_process()
    {
        await using (var first = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]))
        {
            var created = await harness.CreateAsync("forged", Spec());
            await first.WaitForIdleAsync(created.Metadata.ResourceVersion);
            await first.TerminateAsync();
        }

        // Another seed behind the same public key: the Secret still parses, only a derivation tells.
        var secret = (await harness.GetSecretAsync("forged"))!;
        Assert.True(OpenSshPrivateKey.TryParse(Encoding.UTF8.GetString(secret.Data[KeySecretLayout.PrivateKey2]), out var parsed, out _));
        secret.Data[KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(OpenSshPrivateKey.Format(new byte[32], parsed.PublicKey, parsed.Comment, parsed.CheckInt));
        await harness.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, Namespace);

        harness.Cluster.Control.RecordRequests = true;
        await using var second = OperatorProcess.Start(harness.Cluster.KubeconfigPath, ["--workers", "2"]);
        var reported = await harness.WaitAsync("forged", connection => ConditionOf(connection, "Ready")?.Reason == ConditionReasons.SecretInvalid, "SecretInvalid");
        await second.WaitForIdleAsync(reported.Metadata.ResourceVersion);

        Assert.Contains("private-key-2/public-key-2: the private key does not match the public key", ConditionOf(reported, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Equal(1, SecretGets());
        Assert.Equal(0, harness.Cluster.Control.RecordedRequests.Count(request => request.Verb is "create" or "update" or "patch" && request.Resource is "secrets"));
    }
}
