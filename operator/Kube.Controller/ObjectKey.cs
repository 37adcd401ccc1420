using k8s;
using k8s.Models;

namespace Kube.Controller;

/// <summary>Identifies an object by namespace and name: the key of caches and the work queue.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> resource) =>
        new(resource.Metadata.NamespaceProperty ?? "", resource.Metadata.Name);

    public override string ToString() => $"{Namespace}/{Name}";
}
