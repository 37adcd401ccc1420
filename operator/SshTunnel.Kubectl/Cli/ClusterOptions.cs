using System.CommandLine;
using k8s;
using k8s.KubeConfigModels;
using SshTunnel.Kubectl.Cluster;

namespace SshTunnel.Kubectl.Cli;

/// <summary>
/// The flags every kubectl plugin honours: <c>--namespace/-n</c>, <c>--context</c> and
/// <c>--kubeconfig</c> (else <c>KUBECONFIG</c>, a list of files, else <c>~/.kube/config</c>).
/// </summary>
public sealed class ClusterOptions
{
    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace of the connection (default: the context's namespace, else default).",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use (default: the current context).",
        Recursive = true,
    };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Namespace, Context, Kubeconfig];

    /// <summary>Reads the kubeconfig the way kubectl does and connects to the cluster it names.</summary>
    public ConnectionClient Connect(ParseResult parse)
    {
        var files = KubeconfigFiles(parse.GetValue(Kubeconfig));
        KubernetesClientConfiguration configuration;
        try
        {
            var kubeconfig = Merge([.. files.Select(file => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file)))]);
            var context = parse.GetValue(Context);
            if (context is not null && !kubeconfig.Contexts.Any(item => item.Name == context))
            {
                throw new PluginException($"context \"{context}\" given by --context is not in {string.Join(Path.PathSeparator, files)} (kubectl config get-contexts lists them)");
            }

            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, context);
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or IOException)
        {
            throw new PluginException($"cannot use kubeconfig {string.Join(Path.PathSeparator, files)}: {exception.Message}");
        }

        var namespaceName = parse.GetValue(Namespace) ?? configuration.Namespace ?? "default";
        return new ConnectionClient(new Kubernetes(configuration), namespaceName);
    }

    /// <summary>kubectl's merge of the KUBECONFIG list: for each name, and for the current context, the first file that sets it wins.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> configurations) =>
        new()
        {
            CurrentContext = configurations.Select(item => item.CurrentContext).FirstOrDefault(context => !string.IsNullOrEmpty(context)),
            Contexts = [.. configurations.SelectMany(item => item.Contexts ?? []).DistinctBy(item => item.Name)],
            Clusters = [.. configurations.SelectMany(item => item.Clusters ?? []).DistinctBy(item => item.Name)],
            Users = [.. configurations.SelectMany(item => item.Users ?? []).DistinctBy(item => item.Name)],
        };

    private static IReadOnlyList<string> KubeconfigFiles(string? flag)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return File.Exists(flag) ? [flag] : throw new PluginException($"the kubeconfig file {flag} given by --kubeconfig does not exist");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var files = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
            return files.Count > 0 ? files : throw new PluginException($"none of the files in KUBECONFIG ({fromEnvironment}) exists");
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : throw new PluginException($"no kubeconfig: {home} does not exist; set KUBECONFIG or pass --kubeconfig");
    }
}
