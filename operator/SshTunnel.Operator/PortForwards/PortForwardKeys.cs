using k8s;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Caching;
using SshTunnel.Api;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Operator.PortForwards;

/// <summary>Which port forwards a change concerns: the owner of a Deployment or Service, the users of a connection or of its key Secret.</summary>
public sealed class PortForwardKeys(Informer<SshPortForward> portForwards)
{
    /// <summary>The port forward that controls <paramref name="owned"/> (else the one its label names).</summary>
    public static ObjectKey? Owner(IKubernetesObject<V1ObjectMeta> owned)
    {
        var ns = owned.Metadata.NamespaceProperty ?? "";
        var owner = owned.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true && reference.Kind == PortForwardNames.Kind);
        if (owner is not null)
        {
            return new ObjectKey(ns, owner.Name);
        }

        return owned.Metadata.Labels?.TryGetValue(PortForwardNames.PortForwardLabel, out var name) == true ? new ObjectKey(ns, name) : null;
    }

    /// <summary>The port forwards that use connection <paramref name="connection"/>.</summary>
    public IEnumerable<ObjectKey> UsersOf(ObjectKey connection) =>
        portForwards.List()
            .Where(forward => forward.Metadata.NamespaceProperty == connection.Namespace && forward.Spec.ConnectionName == connection.Name)
            .Select(ObjectKey.Of);

    /// <summary>The port forwards that use the connection a key Secret belongs to.</summary>
    public IEnumerable<ObjectKey> UsersOfSecret(V1Secret secret) =>
        secret.Metadata.Labels?.TryGetValue(KeySecretLayout.ConnectionLabel, out var connection) == true
            ? UsersOf(new ObjectKey(secret.Metadata.NamespaceProperty ?? "", connection))
            : [];
}
