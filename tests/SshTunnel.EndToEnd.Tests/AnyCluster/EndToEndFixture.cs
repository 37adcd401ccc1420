using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;

namespace SshTunnel.EndToEnd.Tests.AnyCluster;

/// <summary>
/// A <see cref="TargetCluster"/> with the chart installed and the operator running against it,
/// for one test class; failures carry what the operator printed.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public TargetCluster Cluster { get; private set; } = null!;

    public OperatorProcess Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TargetCluster.StartAsync();
        Operator = await Cluster.StartOperatorAsync();
        await Eventually.Until(() => Operator.IsReadyAsync(), "the operator to be ready against " + Cluster.Description, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>Polls <c>kubectl get</c> in the namespace until the JSONPath's value satisfies <paramref name="done"/>.</summary>
    public async Task<string> WaitForAsync(string resource, string jsonPath, Func<string, bool> done, string what)
    {
        try
        {
            return await Eventually.Until(
                async () =>
                {
                    var result = await Cluster.Kubectl.TryRunAsync("get", resource, "--namespace", Cluster.Namespace, "-o", $"jsonpath={jsonPath}");
                    return result.ExitCode == 0 ? result.Output : string.Empty;
                },
                done,
                what + " on " + Cluster.Description,
                TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nthe operator printed:\n" + Operator.Output, e);
        }
    }

    /// <summary>kubectl in the test's namespace.</summary>
    public Task<string> KubectlAsync(params string[] arguments) => Cluster.Kubectl.RunAsync([.. arguments, "--namespace", Cluster.Namespace]);
}
