using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Reads a kubeconfig file with a YamlDotNet deserializer for the kubeconfig model alone.
/// KubernetesClient's own loader first registers every Kubernetes model type with its YAML
/// layer, which costs a quarter of a second at startup; the result here is the same
/// configuration object, resolved by KubernetesClient (contexts, credentials, relative paths).
/// </summary>
public static class KubeconfigLoader
{
    /// <summary>The first file in <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "TrimmerRoots.xml keeps the kubeconfig models whole for the native build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The models are classes and lists of classes and strings: no value-type instantiation is made at run time.")]
    public static KubernetesClientConfiguration Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new KubeConfigException($"kubeconfig file not found at {path}");
        }

        var model = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<K8SConfiguration>(File.ReadAllText(path));
        model.FileName = Path.GetFullPath(path);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(model);
    }
}
