using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.EndToEnd.Tests.AnyCluster;

/// <summary>
/// The cluster the end-to-end suite runs against: the one the kubeconfig in
/// <c>SSHTUNNEL_E2E_KUBECONFIG</c> names, or by default the standalone emulator started for the
/// test. Either way the suite reaches it only through a kubeconfig (its current context, flattened
/// into a file of the test's own) with the real kubectl and helm, installs the chart into a
/// namespace of its own (CRDs included unless the cluster already serves them; no operator pod),
/// and runs the operator as a local process authenticated as the chart's ServiceAccount with the
/// flags the chart gave its Deployment. Disposing uninstalls the release and deletes the namespace;
/// the CRDs stay, as the chart keeps them.
/// </summary>
public sealed class TargetCluster : IAsyncDisposable
{
    public const string KubeconfigVariable = "SSHTUNNEL_E2E_KUBECONFIG";

    private static readonly string[] Crds = ["sshtunnelconnections.sshtunnels.io", "sshportforwards.sshtunnels.io"];
    private readonly EmulatorProcess? emulator;
    private readonly DirectoryInfo folder;

    private TargetCluster(EmulatorProcess? emulator, DirectoryInfo folder, string kubeconfigPath, string name)
    {
        this.emulator = emulator;
        this.folder = folder;
        KubeconfigPath = kubeconfigPath;
        Namespace = name;
        Kubectl = new Kubectl(kubeconfigPath, folder.FullName);
    }

    /// <summary>The kubeconfig every tool of the suite uses: the target's current context, flattened.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The test's own namespace, also the Helm release and the chart's full name.</summary>
    public string Namespace { get; }

    /// <summary>kubectl against the target, run from a folder of the test's own.</summary>
    public Kubectl Kubectl { get; }

    /// <summary>A folder of the test's own, deleted with the cluster.</summary>
    public string Folder => folder.FullName;

    /// <summary>The emulator's control surface, or null on a real cluster, which has none.</summary>
    public EmulatorControlClient? Control => emulator?.Control;

    /// <summary>Where the suite runs, for messages: the emulator, or the real cluster's server.</summary>
    public string Description { get; private set; } = string.Empty;

    /// <summary>Connects to the target, creates the namespace and installs the chart into it.</summary>
    public static async Task<TargetCluster> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("e2e-");
        var configured = Environment.GetEnvironmentVariable(KubeconfigVariable);
        var emulator = string.IsNullOrEmpty(configured) ? await EmulatorProcess.StartAsync(withCrds: false) : null;
        try
        {
            var source = emulator?.KubeconfigPath ?? ExpandHome(configured!);
            var kubeconfig = Path.Combine(folder.FullName, "kubeconfig");
            var flattened = await RunKubectlAsync(source, "config", "view", "--raw", "--minify", "--flatten", "-o", "json");
            await File.WriteAllTextAsync(kubeconfig, flattened);
            var name = "sshtunnel-e2e-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var cluster = new TargetCluster(emulator, folder, kubeconfig, name);
            cluster.Description = emulator is null
                ? $"the cluster at {(string?)JsonNode.Parse(flattened)!["clusters"]![0]!["cluster"]!["server"]} ({KubeconfigVariable})"
                : "the emulator (set " + KubeconfigVariable + " to run against a real cluster)";
            await cluster.InstallAsync();
            return cluster;
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The operator as a local process, authenticated by a token of the chart's ServiceAccount
    /// (<c>kubectl create token</c>) and started with the Deployment's arguments (the probe and
    /// metrics addresses replaced by a free local port).
    /// </summary>
    public async Task<OperatorProcess> StartOperatorAsync()
    {
        var token = (await Kubectl.RunAsync("create", "token", Namespace, "--namespace", Namespace, "--duration", "1h")).Trim();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(KubeconfigPath))!.AsObject();
        config["users"]![0]!["user"] = new JsonObject { ["token"] = token };
        var operatorKubeconfig = Path.Combine(Folder, "operator-kubeconfig");
        await File.WriteAllTextAsync(operatorKubeconfig, config.ToJsonString());

        var deployment = JsonNode.Parse(await Kubectl.RunAsync("get", "deployment", Namespace, "--namespace", Namespace, "-o", "json"))!;
        var arguments = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()
            .Select(argument => ((string)argument!).Replace("$(POD_NAMESPACE)", Namespace, StringComparison.Ordinal))
            .Where(argument => !argument.StartsWith("--health-probe-bind-address=", StringComparison.Ordinal)
                && !argument.StartsWith("--metrics-bind-address=", StringComparison.Ordinal));
        return OperatorProcess.Start(operatorKubeconfig, arguments);
    }

    /// <summary>Writes <paramref name="manifest"/> (YAML) to the test's folder and applies it into the namespace.</summary>
    public async Task ApplyAsync(string manifest)
    {
        var file = Path.Combine(Folder, "manifest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".yaml");
        await File.WriteAllTextAsync(file, manifest);
        await Kubectl.RunAsync("apply", "--namespace", Namespace, "-f", file);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            (await Helm.RunAgainstAsync(KubeconfigPath, "uninstall", Namespace, "--namespace", Namespace)).Succeeded();
            await Kubectl.RunAsync("delete", "namespace", Namespace, "--wait=false");
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            folder.Delete(recursive: true);
        }
    }

    private async Task InstallAsync()
    {
        await Kubectl.RunAsync("create", "namespace", Namespace);
        var served = 0;
        foreach (var crd in Crds)
        {
            served += (await Kubectl.TryRunAsync("get", "crd", crd)).ExitCode == 0 ? 1 : 0;
        }

        (await Helm.RunAgainstAsync(
            KubeconfigPath,
            "install", Namespace, RepositoryPaths.Chart, "--namespace", Namespace,
            "--set", "fullnameOverride=" + Namespace,
            "--set", "replicaCount=0",
            "--set", $"watchNamespaces={{{Namespace}}}",
            "--set", "crds.install=" + (served == 0 ? "true" : "false"))).Succeeded();
    }

    /// <summary>A leading <c>~/</c> as a shell expands it, for a variable set in quotes.</summary>
    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;

    private static async Task<string> RunKubectlAsync(string kubeconfig, params string[] arguments) =>
        (await ProcessRunner.RunAsync("kubectl", arguments, new ProcessOptions
        {
            Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig },
        })).Succeeded().Output;
}
