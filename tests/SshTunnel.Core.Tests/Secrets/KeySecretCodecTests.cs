using System.Text;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Secrets;

public sealed class KeySecretCodecTests
{
    private static readonly DeterministicKeyPairSource Keys = new("codec");

    private static readonly KeySecret Content = new(
        Keys.Create("default/a"),
        Keys.Create("default/a"),
        new ConnectionParameters("bastion.example.com", 2222, "materialize"),
        "[bastion.example.com]:2222 " + FakeBastion.HostKeyLine,
        new RotationStatus { Handled = "1764200000", Count = 4, LastRotationTime = new DateTimeOffset(2026, 11, 27, 9, 30, 5, TimeSpan.Zero) });

    private static SecretSnapshot Snapshot(KeySecret content, SecretSnapshot? existing = null) =>
        ReconcileWorld.ToSnapshot(KeySecretCodec.Build("default", "a", "uid-a", content, existing), "1");

    [Fact]
    public void Build_then_read_gives_back_the_same_content()
    {
        var read = KeySecretCodec.Read(Snapshot(Content));

        Assert.Null(read.Problem);
        Assert.Equal(Content, read.Secret);
    }

    [Fact]
    public void A_Secret_without_connection_or_rotation_history_round_trips()
    {
        var fresh = Content with { Connection = null, KnownHosts = null, Rotation = new RotationStatus() };

        var snapshot = Snapshot(fresh);

        Assert.Equal(fresh, KeySecretCodec.Read(snapshot).Secret);
        Assert.False(snapshot.Annotations.ContainsKey(KeySecretLayout.RotationHandledAnnotation));
        Assert.Equal("0", snapshot.Annotations[KeySecretLayout.RotationCountAnnotation]);
    }

    [Fact]
    public void Build_writes_the_documented_shape()
    {
        var contents = KeySecretCodec.Build("default", "a", "uid-a", Content, null);

        Assert.Equal(("default", "a-ssh-keys", "sshtunnels.io/key-pairs"), (contents.Namespace, contents.Name, contents.Type));
        var owner = contents.Owner!;
        Assert.Equal(("sshtunnels.io/v1alpha1", "SshTunnelConnection", "a", "uid-a"), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.Null(KeySecretCodec.Build("default", "a", "uid-a", Content, null, SecretPolicy.Retain).Owner);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["sshtunnels.io/rotation-handled"] = "1764200000",
                ["sshtunnels.io/rotation-count"] = "4",
                ["sshtunnels.io/last-rotation-time"] = "2026-11-27T09:30:05Z",
            },
            contents.Annotations);
        Assert.Equal("2222", Encoding.UTF8.GetString(contents.Data["port"]));
        Assert.Equal(Content.Key1.PrivateKey, Encoding.UTF8.GetString(contents.Data["private-key-1"]));
        Assert.Equal(Content.KnownHosts + "\n", Encoding.UTF8.GetString(contents.Data["known_hosts"]));
    }

    [Fact]
    public void Build_keeps_what_others_added_and_drops_what_the_operator_no_longer_holds()
    {
        var existing = Snapshot(Content) with
        {
            Labels = new Dictionary<string, string> { ["team"] = "data", [KeySecretLayout.ConnectionLabel] = "wrong" },
            Annotations = new Dictionary<string, string> { ["reflector/allowed"] = "true", [KeySecretLayout.RotationHandledAnnotation] = "9" },
            Data = new Dictionary<string, byte[]>(Snapshot(Content).Data) { ["extra"] = [1, 2] },
        };

        var rebuilt = KeySecretCodec.Build("default", "a", "uid-a", Content with { KnownHosts = null }, existing);

        Assert.Equal("data", rebuilt.Labels["team"]);
        Assert.Equal("a", rebuilt.Labels[KeySecretLayout.ConnectionLabel]);
        Assert.Equal("true", rebuilt.Annotations["reflector/allowed"]);
        Assert.Equal("1764200000", rebuilt.Annotations[KeySecretLayout.RotationHandledAnnotation]);
        Assert.Equal([1, 2], rebuilt.Data["extra"]);
        Assert.False(rebuilt.Data.ContainsKey(KeySecretLayout.KnownHosts));
    }

    [Fact]
    public void Contents_are_satisfied_by_their_own_snapshot_only()
    {
        var contents = KeySecretCodec.Build("default", "a", "uid-a", Content, null);
        var snapshot = ReconcileWorld.ToSnapshot(contents, "3");

        Assert.True(contents.IsSatisfiedBy(snapshot));
        Assert.False(contents.IsSatisfiedBy(snapshot with { ControllerOwnerUid = "other" }));
        Assert.False(contents.IsSatisfiedBy(snapshot with { Labels = new Dictionary<string, string>() }));
        Assert.False(contents.IsSatisfiedBy(snapshot with { Data = new Dictionary<string, byte[]>(snapshot.Data) { ["port"] = "22"u8.ToArray() } }));
    }

    [Theory]
    [InlineData("host", "data keys host, port and user must be present together")]
    [InlineData("private-key-1", "data key private-key-1 is missing")]
    [InlineData("public-key-2", "data key public-key-2 is missing")]
    public void A_missing_entry_is_named(string removed, string expected)
    {
        var snapshot = Snapshot(Content);
        var data = new Dictionary<string, byte[]>(snapshot.Data);
        data.Remove(removed);

        Assert.Equal(expected, KeySecretCodec.Read(snapshot with { Data = data }).Problem);
    }

    [Theory]
    [InlineData("port", "0", "data key port is \"0\", not a port number (1..65535)")]
    [InlineData("port", "65536", "data key port is \"65536\", not a port number (1..65535)")]
    [InlineData("port", " 22", "data key port is \" 22\", not a port number (1..65535)")]
    [InlineData("host", "", "data keys host and user must not be empty")]
    [InlineData("public-key-1", "ssh-ed25519", "public-key-1: public key: not an OpenSSH public key line (expected \"<type> <base64> [comment]\")")]
    [InlineData("private-key-2", "garbage", "private-key-2/public-key-2: private key: not an OpenSSH private key (BEGIN/END OPENSSH PRIVATE KEY lines missing)")]
    public void A_bad_entry_is_explained(string key, string value, string expected)
    {
        var snapshot = Snapshot(Content);
        var data = new Dictionary<string, byte[]>(snapshot.Data) { [key] = Encoding.UTF8.GetBytes(value) };

        Assert.EndsWith(expected, KeySecretCodec.Read(snapshot with { Data = data }).Problem);
    }

    [Theory]
    [InlineData(KeySecretLayout.RotationCountAnnotation, "-1", "a count")]
    [InlineData(KeySecretLayout.RotationHandledAnnotation, "soon", "an integer")]
    [InlineData(KeySecretLayout.LastRotationTimeAnnotation, "yesterday", "a time")]
    public void Corrupt_rotation_state_is_explained(string annotation, string value, string expected)
    {
        var snapshot = Snapshot(Content);
        var annotations = new Dictionary<string, string>(snapshot.Annotations) { [annotation] = value };

        Assert.Equal($"annotation {annotation} is \"{value}\", not {expected}", KeySecretCodec.Read(snapshot with { Annotations = annotations }).Problem);
    }

    [Fact]
    public void A_Secret_of_another_type_is_invalid() =>
        Assert.Equal("its type is Opaque, not sshtunnels.io/key-pairs", KeySecretCodec.Read(Snapshot(Content) with { Type = "Opaque" }).Problem);

    [Fact]
    public void Public_keys_with_a_trailing_newline_are_accepted()
    {
        var snapshot = Snapshot(Content);
        var data = new Dictionary<string, byte[]>(snapshot.Data) { ["public-key-1"] = Encoding.UTF8.GetBytes(Content.Key1.PublicKey + "\n") };

        Assert.Equal(Content, KeySecretCodec.Read(snapshot with { Data = data }).Secret);
    }

    [Fact]
    public void The_Secret_name_follows_the_connection_name() =>
        Assert.Equal("warehouse-bastion-ssh-keys", KeySecretLayout.SecretName("warehouse-bastion"));
}
