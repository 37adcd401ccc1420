using k8s;

namespace SshTunnel.Operator.Serialization;

/// <summary>
/// Puts <see cref="OperatorJsonContext"/> in front of KubernetesClient's serializer options,
/// which every API call of the client reads and writes with. Options that have served a call are
/// frozen; a process that used them before the operator started (a test host) keeps
/// KubernetesClient's own resolution, which reads and writes the same JSON, only at a higher
/// cost in memory and CPU.
/// </summary>
public static class OperatorJson
{
    private static readonly Lock Gate = new();
    private static bool installed;

    /// <summary>Installs the operator's compiled metadata once per process; false when the options were already frozen.</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            if (!installed)
            {
                KubernetesJson.AddJsonOptions(options =>
                {
                    if (!options.IsReadOnly)
                    {
                        options.TypeInfoResolverChain.Insert(0, OperatorJsonContext.Default);
                        installed = true;
                    }
                });
            }

            return installed;
        }
    }
}
