using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Reconciliation;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>The key Secret's cached view: what maps it to its connection and feeds the metrics, and no key material.</summary>
public sealed class CacheCompactionTests
{
    private const string Rotated = "2026-12-02T10:00:00Z";

    private static V1Secret FullSecret(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = KeySecretLayout.SecretType,
        Metadata = new V1ObjectMeta
        {
            Name = name + "-ssh-keys",
            NamespaceProperty = Fresh("team"),
            Uid = Guid.NewGuid().ToString(),
            ResourceVersion = "42",
            CreationTimestamp = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc),
            Labels = new Dictionary<string, string> { [Fresh(KeySecretLayout.ManagedByLabel)] = Fresh(KeySecretLayout.ManagedByValue), [Fresh(KeySecretLayout.ConnectionLabel)] = Fresh(name) },
            Annotations = new Dictionary<string, string>
            {
                [KeySecretLayout.RotationCountAnnotation] = "3",
                [KeySecretLayout.RotationHandledAnnotation] = "7",
                [KeySecretLayout.LastRotationTimeAnnotation] = Rotated,
            },
            OwnerReferences = [new V1OwnerReference { ApiVersion = Fresh("sshtunnels.io/v1alpha1"), Kind = Fresh("SshTunnelConnection"), Name = Fresh(name), Uid = "owner-uid", Controller = true, BlockOwnerDeletion = true }],
        },
        Data = new Dictionary<string, byte[]>
        {
            [KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes("-----BEGIN OPENSSH PRIVATE KEY-----"),
            [KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes("-----BEGIN OPENSSH PRIVATE KEY-----"),
            [KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes("ssh-ed25519 AAAA"),
        },
    };

    /// <summary>A string instance of its own, as deserializing every object allocates them.</summary>
    private static string Fresh(string text) => new(text.AsSpan());

    [Fact]
    public void The_secret_view_keeps_no_data_and_what_maps_it_to_its_connection()
    {
        var view = new CacheCompaction().Secret(FullSecret("db"));

        Assert.Null(view.Data);
        Assert.Null(view.StringData);
        Assert.Equal(("db-ssh-keys", "team", "42"), (view.Metadata.Name, view.Metadata.NamespaceProperty, view.Metadata.ResourceVersion));
        Assert.Equal(KeySecretLayout.SecretType, view.Type);
        Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), view.Metadata.CreationTimestamp);
        Assert.Equal("db", view.Metadata.Labels[KeySecretLayout.ConnectionLabel]);
        Assert.Equal(KeySecretLayout.ManagedByValue, view.Metadata.Labels[KeySecretLayout.ManagedByLabel]);
        var owner = Assert.Single(view.Metadata.OwnerReferences);
        Assert.Equal(("SshTunnelConnection", "db", "owner-uid", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal(new Dictionary<string, string> { [KeySecretLayout.LastRotationTimeAnnotation] = Rotated }, view.Metadata.Annotations);
    }

    [Fact]
    public void The_secret_view_carries_the_verdict_on_its_data()
    {
        Assert.Equal(new KeySecretVerdict(false, false, false, UInt128.Zero, null), new CacheCompaction().Secret(FullSecret("broken")).Verdict);
    }

    [Fact]
    public void A_secret_the_operator_wrote_as_planned_takes_the_planned_verdict_without_reading_its_keys()
    {
        var written = FullSecret("db");
        var planned = new KeySecretVerdict(true, true, true, 42, "bastion ssh-ed25519 AAAA");

        var view = new CacheCompaction().Written(written, WriteOf(written, planned));

        Assert.Equal(planned, view.Verdict);
        Assert.Null(view.Data);
    }

    [Fact]
    public void A_written_secret_that_holds_something_else_than_the_write_is_judged_on_its_data()
    {
        var written = FullSecret("db");
        var write = WriteOf(written, new KeySecretVerdict(true, true, true, 42, null));
        written.Data[KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes("ssh-ed25519 BBBB");

        Assert.Equal(new KeySecretVerdict(false, false, false, UInt128.Zero, null), new CacheCompaction().Written(written, write).Verdict);
    }

    [Fact]
    public void A_view_is_already_compact()
    {
        var compaction = new CacheCompaction();
        var view = compaction.Secret(FullSecret("db"));

        Assert.Same(view, compaction.Secret(view));
    }

    /// <summary>A replace that writes exactly the data and annotations <paramref name="secret"/> holds.</summary>
    private static SecretWrite WriteOf(V1Secret secret, KeySecretVerdict verdict) => new(
        SecretWriteKind.Replace,
        new SecretContents(
            secret.Metadata.NamespaceProperty,
            secret.Metadata.Name,
            secret.Type,
            secret.Metadata.Labels.ToDictionary(),
            secret.Metadata.Annotations.ToDictionary(),
            secret.Data.ToDictionary(entry => entry.Key, entry => entry.Value.ToArray()),
            null),
        "41",
        verdict);

    [Fact]
    public void Views_of_many_secrets_share_their_repeated_strings()
    {
        var compaction = new CacheCompaction();

        var first = compaction.Secret(FullSecret("a"));
        var second = compaction.Secret(FullSecret("b"));

        Assert.Same(first.Metadata.NamespaceProperty, second.Metadata.NamespaceProperty);
        Assert.Same(first.Metadata.Labels.Keys.First(), second.Metadata.Labels.Keys.First());
        Assert.Same(first.Metadata.OwnerReferences[0].Kind, second.Metadata.OwnerReferences[0].Kind);
        Assert.Same(first.Metadata.Labels[KeySecretLayout.ConnectionLabel], first.Metadata.OwnerReferences[0].Name);
    }

    /// <summary>A Secret whose two pairs another process made: readable, and unknown to this one.</summary>
    private static V1Secret SecretOfAnotherProcess(string name, string resourceVersion)
    {
        var secret = FullSecret(name);
        secret.Metadata.ResourceVersion = resourceVersion;
        foreach (var (publicKey, privateKey) in new[] { (KeySecretLayout.PublicKey1, KeySecretLayout.PrivateKey1), (KeySecretLayout.PublicKey2, KeySecretLayout.PrivateKey2) })
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var derived = Ed25519OpenSsh.DerivePublicKey(seed);
            secret.Data[publicKey] = Encoding.UTF8.GetBytes(SshPublicKey.FromEd25519(derived, name).ToString());
            secret.Data[privateKey] = Encoding.UTF8.GetBytes(OpenSshPrivateKey.Format(seed, derived, name, 7));
        }

        return secret;
    }

    [Fact]
    public void A_secret_whose_pairs_this_process_never_checked_leaves_one_check_for_its_newest_version()
    {
        var compaction = new CacheCompaction();

        var listed = compaction.Secret(SecretOfAnotherProcess("db", "41"));
        Assert.Equal((true, false), (listed.Verdict.Readable, listed.Verdict.PairsConfirmed));
        Assert.Equal(1, compaction.PairChecks.Count);
        Assert.NotNull(compaction.PairChecks.Busy(DateTimeOffset.UnixEpoch));

        compaction.Secret(SecretOfAnotherProcess("db", "42"));
        Assert.Equal(1, compaction.PairChecks.Count);

        compaction.Written(FullSecret("db"), WriteOf(FullSecret("db"), new KeySecretVerdict(true, true, true, 42, null)));
        Assert.Equal(0, compaction.PairChecks.Count);
        Assert.Null(compaction.PairChecks.Busy(DateTimeOffset.UnixEpoch));
    }
}
