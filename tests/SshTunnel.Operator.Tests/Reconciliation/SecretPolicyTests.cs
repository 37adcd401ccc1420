using System.Text;
using k8s;
using k8s.Models;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Api;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Sshd;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary><c>spec.secretPolicy</c> against the emulator, whose garbage collector deletes dependents of deleted owners.</summary>
public sealed class SecretPolicyTests : IAsyncLifetime
{
    private OperatorHarness harness = null!;

    public async Task InitializeAsync() => harness = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private static ConnectionSpec PolicySpec(SecretPolicy policy)
    {
        var spec = Spec();
        spec.SecretPolicy = policy;
        return spec;
    }

    private static Dictionary<string, string> OperatorLabels(string connection) => new()
    {
        [KeySecretLayout.ManagedByLabel] = KeySecretLayout.ManagedByValue,
        [KeySecretLayout.ConnectionLabel] = connection,
    };

    /// <summary>A connection rotated once (count 1, handled "2"), with its Secret as it is then.</summary>
    private async Task<(SshTunnelConnection Connection, V1Secret Secret)> RotatedOnceAsync(string name, SecretPolicy policy)
    {
        await harness.CreateAsync(name, PolicySpec(policy), "1");
        await harness.WaitAsync(name, connection => HasKeys(connection) && IsReady(connection), $"{name} ready with keys");
        await harness.AnnotateAsync(name, "2");
        var rotated = await harness.WaitAsync(name, connection => connection.Status?.Rotation?.Count == 1 && IsReady(connection), $"{name} rotated once");
        return (rotated, (await harness.GetSecretAsync(name))!);
    }

    private async Task DeleteConnectionAsync(string name)
    {
        await harness.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, name);
        await Eventually.Until(
            () => ApiReads.OrNullAsync(() => harness.Client.CustomObjects.GetNamespacedCustomObjectAsync<SshTunnelConnection>(ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, name)),
            connection => connection is null,
            $"{name} to be gone");
    }

    private Task CreateSecretAsync(string connection, string type, Dictionary<string, byte[]> data) =>
        harness.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = KeySecretLayout.SecretName(connection), Labels = OperatorLabels(connection) },
                Type = type,
                Data = data,
            },
            Namespace);

    private static void AssertSameData(V1Secret expected, V1Secret actual)
    {
        Assert.Equal(expected.Data.Keys.Order(), actual.Data.Keys.Order());
        Assert.All(expected.Data, entry => Assert.Equal(entry.Value, actual.Data[entry.Key]));
    }

    [Fact]
    public async Task With_Retain_a_deleted_and_re_applied_connection_keeps_every_key_and_its_rotation_count()
    {
        var (before, secret) = await RotatedOnceAsync("kept", SecretPolicy.Retain);
        Assert.Null(secret.Metadata.OwnerReferences);

        await DeleteConnectionAsync("kept");
        await harness.CreateAsync("kept", PolicySpec(SecretPolicy.Retain));
        var adopted = await harness.WaitAsync("kept", connection => HasKeys(connection) && IsReady(connection), "kept adopted");

        Assert.NotEqual(before.Metadata.Uid, adopted.Metadata.Uid);
        Assert.Equal((before.Status!.PublicKey1, before.Status.PublicKey2), (adopted.Status!.PublicKey1, adopted.Status.PublicKey2));
        Assert.Equal((1L, "2"), (adopted.Status.Rotation!.Count, adopted.Status.Rotation.Handled));
        var after = (await harness.GetSecretAsync("kept"))!;
        AssertSameData(secret, after);
        Assert.Null(after.Metadata.OwnerReferences);
        var events = await harness.WaitForEventAsync("kept", EventReasons.KeysAdopted);
        Assert.DoesNotContain(events, item => item.Reason is EventReasons.KeysGenerated or EventReasons.KeysRegenerated && item.InvolvedObject.Uid == adopted.Metadata.Uid);
    }

    [Fact]
    public async Task Switching_to_Delete_owns_the_Secret_again_so_it_is_collected_with_the_connection()
    {
        var (connection, _) = await RotatedOnceAsync("switched", SecretPolicy.Retain);

        await harness.ReplaceSpecAsync("switched", spec => spec["secretPolicy"] = nameof(SecretPolicy.Delete));
        var owned = await Eventually.Until(() => harness.GetSecretAsync("switched"), secret => secret?.Metadata.OwnerReferences is { Count: 1 }, "the Secret owned again");
        Assert.Equal(connection.Metadata.Uid, owned!.Metadata.OwnerReferences.Single().Uid);

        await DeleteConnectionAsync("switched");
        await Eventually.Until(() => harness.GetSecretAsync("switched"), secret => secret is null, "the Secret to be collected");
    }

    [Fact]
    public async Task With_Delete_a_re_applied_connection_gets_new_keys_as_before()
    {
        var (before, _) = await RotatedOnceAsync("renewed", SecretPolicy.Delete);

        await DeleteConnectionAsync("renewed");
        await Eventually.Until(() => harness.GetSecretAsync("renewed"), secret => secret is null, "the Secret to be collected");
        await harness.CreateAsync("renewed", PolicySpec(SecretPolicy.Delete));
        var renewed = await harness.WaitAsync("renewed", connection => HasKeys(connection) && IsReady(connection), "renewed with keys");

        Assert.NotEqual(before.Status!.PublicKey1, renewed.Status!.PublicKey1);
        Assert.NotEqual(before.Status.PublicKey2, renewed.Status.PublicKey2);
        Assert.Equal(0, renewed.Status.Rotation?.Count ?? 0);
        Assert.Equal(renewed.Metadata.Uid, Assert.Single((await harness.GetSecretAsync("renewed"))!.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task Keys_a_user_makes_with_ssh_keygen_in_a_Secret_of_the_operators_type_and_labels_are_adopted()
    {
        var (key1, key2) = (SshKeyPair.Generate("brought-key-1"), SshKeyPair.Generate("brought-key-2"));
        await CreateSecretAsync("brought", KeySecretLayout.SecretType, new Dictionary<string, byte[]>
        {
            [KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes(key1.PrivateKey),
            [KeySecretLayout.PublicKey1] = Encoding.UTF8.GetBytes(key1.PublicKeyLine + "\n"),
            [KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(key2.PrivateKey),
            [KeySecretLayout.PublicKey2] = Encoding.UTF8.GetBytes(key2.PublicKeyLine + "\n"),
        });

        await harness.CreateAsync("brought", Spec());
        var adopted = await harness.WaitAsync("brought", connection => HasKeys(connection) && IsReady(connection), "brought keys adopted");

        Assert.Equal((key1.PublicKeyLine, key2.PublicKeyLine), (adopted.Status!.PublicKey1, adopted.Status.PublicKey2));
        Assert.Equal(key1.Fingerprint, adopted.Status.PublicKey1Fingerprint);
        Assert.Equal(adopted.Metadata.Uid, Assert.Single((await harness.GetSecretAsync("brought"))!.Metadata.OwnerReferences).Uid);
        await harness.WaitForEventAsync("brought", EventReasons.KeysAdopted);
    }

    [Theory]
    [InlineData("Opaque", ConditionReasons.SecretConflict, "has type Opaque, not sshtunnels.io/key-pairs")]
    [InlineData(KeySecretLayout.SecretType, ConditionReasons.SecretInvalid, "data key public-key-1 is missing")]
    public async Task Adoption_refuses_a_foreign_typed_or_invalid_Secret_and_never_writes_it(string type, string reason, string problem)
    {
        var data = new Dictionary<string, byte[]> { [KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes("not a key") };
        await CreateSecretAsync("refused", type, data);
        var secret = (await harness.GetSecretAsync("refused"))!;

        await harness.CreateAsync("refused", Spec());
        var refused = await harness.WaitAsync("refused", connection => ConditionOf(connection, "Ready")?.Reason == reason, reason);
        await harness.WaitForIdleAsync(refused.Metadata.ResourceVersion);

        Assert.Contains(problem, ConditionOf(refused, "Ready")!.Message);
        Assert.Null(refused.Status!.PublicKey1);
        // A refused Secret needs the user's hand: every condition is present, and Stalled says so to kstatus.
        Assert.Equal(["Ready", "Validated", "SecondaryKeyAuthorized", "Stalled"], refused.Status.Conditions.Select(condition => condition.Type));
        Assert.Equal("True", ConditionOf(refused, "Stalled")!.Status);
        Assert.Equal(secret.Metadata.ResourceVersion, (await harness.GetSecretAsync("refused"))!.Metadata.ResourceVersion);
        await harness.WaitForEventAsync("refused", reason);
    }
}
