using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Keys;
using SshTunnel.Operator.Probing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Kubectl.Tests.Testing;

/// <summary>
/// An emulator with the repository's CRDs, the operator running against it in-process, and the
/// real kubectl with this test project's output folder (which holds the kubectl-sshtunnel
/// apphost) first on its PATH, so <c>kubectl sshtunnel</c> runs the plugin as a user's shell would.
/// </summary>
public sealed class PluginCluster : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    private PluginCluster(EmulatedCluster cluster, ConnectionOperator connectionOperator)
    {
        Cluster = cluster;
        Operator = connectionOperator;
        running = connectionOperator.RunAsync(stop.Token);
    }

    public EmulatedCluster Cluster { get; }

    public ConnectionOperator Operator { get; }

    public IKubernetes Client => Cluster.Client;

    public static async Task<PluginCluster> StartAsync(params string[] namespaces)
    {
        var cluster = await EmulatedCluster.StartAsync(namespaces: namespaces);
        var probe = new SshBastionProbe(
            new BastionProbeOptions { ConnectTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 1, MaxTotal = TimeSpan.FromSeconds(10) },
            TimeProvider.System,
            NullLogger<SshBastionProbe>.Instance);
        var connectionOperator = new ConnectionOperator(
            cluster.ControllerClient, new OperatorOptions { Workers = 2 }, probe, new Ed25519KeyPairSource(), TimeProvider.System, NullLoggerFactory.Instance);
        var plugin = new PluginCluster(cluster, connectionOperator);
        await connectionOperator.Ready.WaitAsync(Eventually.DefaultTimeout);
        return plugin;
    }

    /// <summary>Runs <c>kubectl sshtunnel ARGS</c> with the cluster's kubeconfig in KUBECONFIG, and returns how it ended.</summary>
    public Task<ProcessResult> SshTunnelAsync(params string[] arguments) =>
        KubectlAsync(new Dictionary<string, string?> { ["KUBECONFIG"] = Cluster.KubeconfigPath }, ["sshtunnel", .. arguments]);

    /// <summary>Runs kubectl with the plugin on PATH and exactly the environment given (plus PATH and HOME).</summary>
    public Task<ProcessResult> KubectlAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("kubectl", arguments, Options(environment));

    /// <summary>Starts <c>kubectl sshtunnel ARGS</c> (a <c>--wait</c> that the test answers meanwhile); dispose it to kill it.</summary>
    public RunningProcess StartSshTunnel(params string[] arguments) =>
        RunningProcess.Start("kubectl", ["sshtunnel", .. arguments], Options(new Dictionary<string, string?> { ["KUBECONFIG"] = Cluster.KubeconfigPath }));

    private ProcessOptions Options(IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment)
        {
            ["PATH"] = AppContext.BaseDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["HOME"] = Path.Combine(Cluster.Folder, "home"),
        };
        variables.TryAdd("KUBECONFIG", null);
        return new ProcessOptions { Environment = variables, WorkingDirectory = Cluster.Folder };
    }

    /// <summary>Creates a connection with <paramref name="spec"/>, by default one to bastion.example.com that is never validated.</summary>
    public Task<SshTunnelConnection> CreateAsync(string name, ConnectionSpec? spec = null, string namespaceName = Namespace) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync<SshTunnelConnection>(
            new SshTunnelConnection
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = namespaceName },
                Spec = spec ?? new ConnectionSpec { Host = "bastion.example.com", User = "materialize", Validate = false },
            },
            ResourceNames.Group,
            ResourceNames.Version,
            namespaceName,
            ResourceNames.Plural);

    public Task<SshTunnelConnection> GetAsync(string name, string namespaceName = Namespace) =>
        Client.CustomObjects.GetNamespacedCustomObjectAsync<SshTunnelConnection>(
            ResourceNames.Group, ResourceNames.Version, namespaceName, ResourceNames.Plural, name);

    /// <summary>Waits until the operator has published both public keys.</summary>
    public Task<SshTunnelConnection> WaitForKeysAsync(string name, string namespaceName = Namespace) =>
        Eventually.Until(
            () => GetAsync(name, namespaceName),
            connection => connection.Status?.PublicKey1 is not null && connection.Status.PublicKey2 is not null,
            $"keys of {namespaceName}/{name}");

    /// <summary>Waits until the operator's caches hold <paramref name="resourceVersion"/> and nothing is queued or running.</summary>
    public Task WaitForIdleAsync(string resourceVersion)
    {
        var target = long.Parse(resourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        return Eventually.Until(
            () => Task.FromResult(Operator.Idle.Check(target)),
            report => report.IsIdle,
            $"the operator to be idle at resourceVersion {resourceVersion}",
            describe: report => "busy: " + report.Pending);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running.WaitAsync(Eventually.DefaultTimeout);
        stop.Dispose();
        await Cluster.DisposeAsync();
    }
}
