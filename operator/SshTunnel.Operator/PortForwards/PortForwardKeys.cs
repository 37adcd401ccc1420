using k8s;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Caching;
using SshTunnel.Api;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Operator.PortForwards;

/// <summary>
/// Which port forwards a change concerns: the owner of a Deployment or Service, the users of a
/// connection or of its key Secret. The users are indexed by connection from the port forward
/// informer's events (<see cref="Track"/>), so a connection event costs its users, not a scan
/// of every port forward.
/// </summary>
public sealed class PortForwardKeys
{
    private readonly Lock gate = new();

    /// <summary>The port forwards of each connection (same namespace, <c>spec.connectionName</c>).</summary>
    private readonly Dictionary<ObjectKey, HashSet<ObjectKey>> usersByConnection = [];

    /// <summary>The connection each indexed port forward uses, to move it when its spec names another.</summary>
    private readonly Dictionary<ObjectKey, ObjectKey> connectionByUser = [];

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

    /// <summary>Follows one change of the port forward informer; register it as the informer's handler.</summary>
    public void Track(ResourceEvent<SshPortForward> change)
    {
        var forward = ObjectKey.Of(change.Object);
        lock (gate)
        {
            if (connectionByUser.Remove(forward, out var previous) && usersByConnection.TryGetValue(previous, out var previousUsers))
            {
                previousUsers.Remove(forward);
                if (previousUsers.Count == 0)
                {
                    usersByConnection.Remove(previous);
                }
            }

            if (change.Type == ResourceEventType.Deleted)
            {
                return;
            }

            var connection = new ObjectKey(forward.Namespace, change.Object.Spec.ConnectionName);
            connectionByUser[forward] = connection;
            if (!usersByConnection.TryGetValue(connection, out var users))
            {
                users = [];
                usersByConnection[connection] = users;
            }

            users.Add(forward);
        }
    }

    /// <summary>The port forwards that use connection <paramref name="connection"/>, as of the last tracked change.</summary>
    public IReadOnlyList<ObjectKey> UsersOf(ObjectKey connection)
    {
        lock (gate)
        {
            return usersByConnection.TryGetValue(connection, out var users) ? [.. users] : [];
        }
    }

    /// <summary>The port forwards that use the connection a key Secret belongs to.</summary>
    public IReadOnlyList<ObjectKey> UsersOfSecret(V1Secret secret) =>
        secret.Metadata.Labels?.TryGetValue(KeySecretLayout.ConnectionLabel, out var connection) == true
            ? UsersOf(new ObjectKey(secret.Metadata.NamespaceProperty ?? "", connection))
            : [];
}
