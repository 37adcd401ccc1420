using k8s.Models;
using Kube.Controller;
using Kube.Controller.Caching;
using SshTunnel.Api;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.PortForwards;

namespace SshTunnel.Operator.Tests.PortForwards;

/// <summary>The index of port forwards by the connection they use, fed by the informer's events.</summary>
public sealed class PortForwardKeysTests
{
    private readonly PortForwardKeys keys = new();

    private static SshPortForward Forward(string ns, string name, string connection) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
        Spec = new PortForwardSpec { ConnectionName = connection },
    };

    private void Track(ResourceEventType type, SshPortForward forward) => keys.Track(new ResourceEvent<SshPortForward>(type, forward));

    [Fact]
    public void A_connection_has_the_port_forwards_of_its_namespace_that_name_it()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        Track(ResourceEventType.Added, Forward("team-a", "cache", "bastion"));
        Track(ResourceEventType.Added, Forward("team-a", "other", "jump"));
        Track(ResourceEventType.Added, Forward("team-b", "db", "bastion"));

        Assert.Equal([new ObjectKey("team-a", "cache"), new ObjectKey("team-a", "db")], keys.UsersOf(new ObjectKey("team-a", "bastion")).OrderBy(key => key.Name, StringComparer.Ordinal));
        Assert.Equal([new ObjectKey("team-b", "db")], keys.UsersOf(new ObjectKey("team-b", "bastion")));
        Assert.Empty(keys.UsersOf(new ObjectKey("team-c", "bastion")));
    }

    [Fact]
    public void An_update_that_names_another_connection_moves_the_port_forward()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        Track(ResourceEventType.Updated, Forward("team-a", "db", "jump"));

        Assert.Empty(keys.UsersOf(new ObjectKey("team-a", "bastion")));
        Assert.Equal([new ObjectKey("team-a", "db")], keys.UsersOf(new ObjectKey("team-a", "jump")));
    }

    [Fact]
    public void Updates_and_resyncs_of_the_same_connection_keep_one_entry()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        Track(ResourceEventType.Updated, Forward("team-a", "db", "bastion"));
        Track(ResourceEventType.Resync, Forward("team-a", "db", "bastion"));

        Assert.Equal([new ObjectKey("team-a", "db")], keys.UsersOf(new ObjectKey("team-a", "bastion")));
    }

    [Fact]
    public void A_deleted_port_forward_is_gone_even_when_its_last_known_copy_named_an_older_connection()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        Track(ResourceEventType.Added, Forward("team-a", "cache", "bastion"));
        Track(ResourceEventType.Updated, Forward("team-a", "db", "jump"));

        Track(ResourceEventType.Deleted, Forward("team-a", "db", "bastion"));

        Assert.Empty(keys.UsersOf(new ObjectKey("team-a", "jump")));
        Assert.Equal([new ObjectKey("team-a", "cache")], keys.UsersOf(new ObjectKey("team-a", "bastion")));
    }

    [Fact]
    public void A_key_Secret_leads_to_the_users_of_the_connection_its_label_names()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                NamespaceProperty = "team-a",
                Name = KeySecretLayout.SecretName("bastion"),
                Labels = new Dictionary<string, string> { [KeySecretLayout.ConnectionLabel] = "bastion" },
            },
        };

        Assert.Equal([new ObjectKey("team-a", "db")], keys.UsersOfSecret(secret));
        Assert.Empty(keys.UsersOfSecret(new V1Secret { Metadata = new V1ObjectMeta { NamespaceProperty = "team-a", Name = "unlabelled" } }));
    }

    [Fact]
    public void The_answer_is_a_snapshot_that_later_changes_do_not_alter()
    {
        Track(ResourceEventType.Added, Forward("team-a", "db", "bastion"));
        var users = keys.UsersOf(new ObjectKey("team-a", "bastion"));

        Track(ResourceEventType.Added, Forward("team-a", "cache", "bastion"));
        Track(ResourceEventType.Deleted, Forward("team-a", "db", "bastion"));

        Assert.Equal([new ObjectKey("team-a", "db")], users);
    }
}
